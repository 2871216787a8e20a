import { describe, expect, it } from 'vitest';
import { UnknownValueError, evalCondition, isUnknown, makeUnknown, renderValue } from './index.js';

/** Plan mode: a register that is only known after the run. */
const ctx = { result: makeUnknown('result'), known: { rc: 0 }, hosts: ['a'] };

function unknownVar(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnknownValueError) return e.variable;
    throw e;
  }
  throw new Error('expected UnknownValueError');
}

describe('unknown values', () => {
  it('makeUnknown / isUnknown', () => {
    expect(isUnknown(ctx.result)).toBe(true);
    expect(isUnknown({ variable: 'result' })).toBe(false);
    expect(isUnknown(null)).toBe(false);
  });
  it('throws UnknownValueError naming the variable on output, attribute, comparison, filter, test', () => {
    const w = { host: 'n1', task: 'check' };
    expect(unknownVar(() => renderValue('x={{ result }}', ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue('{{ result }}', ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue('{{ result.stdout }}', ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue("{{ result['rc'] }}", ctx, w))).toBe('result');
    expect(unknownVar(() => evalCondition('result.rc == 0', ctx, w))).toBe('result');
    expect(unknownVar(() => evalCondition('result == 0', ctx, w))).toBe('result');
    expect(unknownVar(() => evalCondition('result', ctx, w))).toBe('result');
    expect(unknownVar(() => evalCondition('not result', ctx, w))).toBe('result');
    expect(unknownVar(() => evalCondition('known.rc == 0 and result', ctx, w))).toBe('result');
    expect(unknownVar(() => evalCondition('result is failed', ctx, w))).toBe('result');
    expect(unknownVar(() => evalCondition('result is succeeded', ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue('{{ result | to_json }}', ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue('{{ [result] | to_json }}', ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue('{{ result.stdout_lines | length }}', ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue("{{ 'a' in result }}", ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue('{% for x in result %}{% endfor %}', ctx, w))).toBe('result');
    expect(unknownVar(() => renderValue("{{ result.stdout.split('\\n') }}", ctx, w))).toBe('result');
  });
  it('carries where, and the planner can tell it from a real error', () => {
    try {
      renderValue('{{ result.rc }}', ctx, {
        host: 'n1',
        task: 'check',
        src: { file: 'p.yml', line: 4, col: 7 },
      });
      throw new Error('no throw');
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownValueError);
      const u = e as UnknownValueError;
      expect(u.host).toBe('n1');
      expect(u.task).toBe('check');
      expect(u.src).toEqual({ file: 'p.yml', line: 4, col: 7 });
      expect(u.message).toContain("'result' is not known until the run");
    }
  });
  it('is defined on an unknown value is true; default keeps it unknown', () => {
    expect(evalCondition('result is defined', ctx)).toBe(true);
    expect(evalCondition('result is undefined', ctx)).toBe(false);
    expect(unknownVar(() => renderValue("{{ result | default('x') | upper }}", ctx))).toBe('result');
  });
  it('an unknown reached through another variable is still reported by name', () => {
    const c = { ...ctx, out: '{{ result.stdout }}' };
    expect(unknownVar(() => renderValue('{{ out }}', c))).toBe('result');
  });
  it('templates that do not read it still render', () => {
    expect(renderValue('{{ hosts | length }}', ctx)).toBe(1);
    expect(evalCondition('known.rc == 0 or result', ctx)).toBe(true);
  });
});
