import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../errors.js';
import { checkTemplate, evalCondition, evalExpression, renderString, renderValue } from './index.js';
import { OMIT } from './omit.js';

const ctx = {
  etcd_name: 'etcd-1',
  port: 2379,
  hosts: ['n1', 'n2', 'n3'],
  member: { name: 'etcd-1', peer: 'https://10.0.0.1:2380' },
  groups: { all: ['n1', 'n2', 'n3'], etcd: ['n1', 'n2', 'n3'] },
  ETCD_ENDPOINTS: "{% for h in groups['etcd'] %}https://{{ h }}:2379,{% endfor %}",
  data_dir: '/var/lib/etcd',
  backup_dir: '{{ data_dir }}.bak',
  nested: { dir: '{{ backup_dir }}/x', list: ['{{ port }}', 'lit'] },
  flag: false,
  empty: [],
  nothing: null,
};
const r = (v: unknown, c: Record<string, unknown> = ctx) => renderValue(v, c, { host: 'n1', task: 'restore' });

function caught(fn: () => unknown): LifeboatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LifeboatError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('native types', () => {
  it('keeps the type of a string that is exactly one expression', () => {
    expect(r('{{ hosts }}')).toEqual(['n1', 'n2', 'n3']);
    expect(r('{{ port }}')).toBe(2379);
    expect(r('{{ port + 1 }}')).toBe(2380);
    expect(r('{{ flag }}')).toBe(false);
    expect(r('{{ member }}')).toEqual(ctx.member);
    expect(r('{{ nothing }}')).toBeNull();
    expect(r("{{ {'a': {'b': port}} }}")).toEqual({ a: { b: 2379 } });
    expect(r("{% set m = {'x': {'y': 1}} %}{{ m.x.y }}")).toBe('1');
  });
  it('renders mixed strings to text, with Python str() of values', () => {
    expect(r('port={{ port }}')).toBe('port=2379');
    expect(r('{{ hosts }} ')).toBe("['n1', 'n2', 'n3'] ");
    expect(r('x{{ flag }}{{ nothing }}')).toBe('xFalseNone');
    expect(r('{{ port }}{{ port }}')).toBe('23792379');
    expect(r('m: {{ member }}')).toBe("m: {'name': 'etcd-1', 'peer': 'https://10.0.0.1:2380'}");
  });
  it('renders recursively inside lists and maps and leaves plain values alone', () => {
    expect(
      r({
        a: ['{{ port }}', 3, true, null],
        b: { c: 'dir={{ data_dir }}' },
        d: 'plain',
      }),
    ).toEqual({
      a: [2379, 3, true, null],
      b: { c: 'dir=/var/lib/etcd' },
      d: 'plain',
    });
  });
  it('drops map entries whose value renders to omit', () => {
    expect(r({ a: '{{ omit }}', b: 1, c: '{{ undefined_thing | default(omit) }}' }, { ...ctx, omit: OMIT })).toEqual({
      b: 1,
    });
  });
});

describe('variables that reference variables', () => {
  it('renders a value that came from a variable (kubeasz ETCD_ENDPOINTS)', () => {
    expect(r('{{ ETCD_ENDPOINTS }}')).toBe('https://n1:2379,https://n2:2379,https://n3:2379,');
    expect(r("{{ ETCD_ENDPOINTS.rstrip(',') }}")).toBe('https://n1:2379,https://n2:2379,https://n3:2379');
  });
  it('follows chains through nested structures', () => {
    expect(r('{{ nested }}')).toEqual({
      dir: '/var/lib/etcd.bak/x',
      list: [2379, 'lit'],
    });
    expect(r('{{ nested.list[0] + 1 }}')).toBe(2380);
  });
  it('reports self-reference with the loop', () => {
    const e = caught(() => r('{{ a }}', { a: '{{ b }}-x', b: '{{ a }}' }));
    expect(e.code).toBe('E_TEMPLATE');
    expect(e.message).toContain("variable 'a' refers to itself (a → b → a)");
    expect(e.host).toBe('n1');
  });
  it('reports a variable that refers to itself directly', () => {
    const e = caught(() => r('{{ v }}', { v: '{{ v }}' }));
    expect(e.message).toContain("'v' refers to itself (v → v)");
  });
  it('caps very deep chains', () => {
    const c: Record<string, unknown> = { v0: 'end' };
    for (let i = 1; i <= 60; i++) c[`v${i}`] = `{{ v${i - 1} }}`;
    expect(r('{{ v30 }}', c)).toBe('end');
    expect(caught(() => r('{{ v60 }}', c)).message).toContain('more than 40 levels deep');
  });
});

describe('undefined', () => {
  it('names the variable, the place and the nearest name', () => {
    const e = caught(() =>
      renderValue('--name={{ etcd_nmae }}', ctx, {
        src: { file: 'site.yml', line: 12, col: 9 },
        host: 'n2',
        task: 'restore member',
        field: 'args.cmd',
      }),
    );
    expect(e.code).toBe('E_UNDEFINED');
    expect(e.message).toBe("'etcd_nmae' is undefined in args.cmd");
    expect(e.hint).toBe('did you mean `etcd_name`?');
    expect(e.format()).toBe(
      'site.yml:12:9: \'etcd_nmae\' is undefined in args.cmd (host n2, task "restore member")\n  hint: did you mean `etcd_name`?',
    );
  });
  it('never renders to an empty string', () => {
    expect(() => r('x{{ nope }}y')).toThrow(/'nope' is undefined/);
    expect(() => r('{% if nope %}a{% endif %}')).toThrow(/'nope' is undefined/);
    expect(() => r('{{ not nope }}')).toThrow(/'nope' is undefined/);
    expect(() => r('{{ nope == 1 }}')).toThrow(/'nope' is undefined/);
    expect(() => r('{{ nope | upper }}')).toThrow(/'nope' is undefined/);
    expect(() => r('{% for x in nope %}{% endfor %}')).toThrow(/'nope' is undefined/);
    expect(() => r('{{ [1, nope] }}')).toThrow(/'nope' is undefined/);
    expect(() => r("{{ {'a': {'b': nope}} }}")).toThrow(/'nope' is undefined/);
    expect(() => r("{{ hosts | map(attribute='nope') | list }}")).toThrow(/'item.nope' is undefined/);
  });
  it('names an undefined attribute and suggests a key', () => {
    const e = caught(() => r('{{ member.nmae }}'));
    expect(e.message).toBe("'member.nmae' is undefined: 'member' has no attribute 'nmae'");
    expect(e.hint).toBe('did you mean `name`?');
    expect(() => r('{{ result.stdout }}', { result: { rc: 0 } })).toThrow(
      "'result.stdout' is undefined: 'result' has no attribute 'stdout'",
    );
    expect(() => r('{{ hosts[5] }}')).toThrow(/index 5 is out of range/);
  });
  it('chains through a missing attribute as Ansible does: default() catches it, other uses name the first gap', () => {
    expect(r("{{ member.nmae.first | default('x') }}")).toBe('x');
    expect(r("{{ nope.a.b | default('y') }}")).toBe('y');
    expect(r('{{ member.nmae.first is defined }}')).toBe(false);
    expect(() => r('{{ member.nmae.first }}')).toThrow("'member.nmae' is undefined: 'member' has no attribute 'nmae'");
    expect(() => r('{{ nope.a }}')).toThrow(/'nope' is undefined/);
  });
  it('names the variable being rendered when the undefined is inside another variable', () => {
    const e = caught(() => r('{{ outer }}', { outer: '{{ inner_typo }}' }));
    expect(e.message).toContain("'inner_typo' is undefined (while rendering variable 'outer')");
  });
  it('lets default and is defined handle undefined values', () => {
    expect(r("{{ nope | default('x') }}")).toBe('x');
    expect(r("{{ nope | d('x') }}")).toBe('x');
    expect(r("{{ member.nope | default('x') }}")).toBe('x');
    expect(r('{{ nope is defined }}')).toBe(false);
    expect(r('{{ nope is undefined }}')).toBe(true);
    expect(r('{{ member.name is defined }}')).toBe(true);
    expect(r('{{ nope is defined and nope }}')).toBe(false);
    expect(r("{{ '' | default('x') }}")).toBe('');
    expect(r("{{ '' | default('x', true) }}")).toBe('x');
    expect(r("{{ nothing | default('x') }}")).toBeNull();
  });
});

describe('statements', () => {
  it('if / elif / else', () => {
    const t = '{% if port > 3000 %}big{% elif port > 2000 %}mid{% else %}small{% endif %}';
    expect(r(t)).toBe('mid');
  });
  it('for with loop variables, else, and unpacking', () => {
    expect(r('{% for h in hosts %}{{ loop.index }}:{{ h }}{% if not loop.last %},{% endif %}{% endfor %}')).toBe(
      '1:n1,2:n2,3:n3',
    );
    expect(r('{% for h in empty %}x{% else %}none{% endfor %}')).toBe('none');
    expect(r('{% for k, v in member.items() %}{{ k }}={{ v }};{% endfor %}')).toBe(
      'name=etcd-1;peer=https://10.0.0.1:2380;',
    );
    expect(r('{% for k in member %}{{ k }} {% endfor %}')).toBe('name peer ');
  });
  it('loop filters, break / continue and do (the extensions Ansible enables)', () => {
    expect(r('{% for h in hosts if h != "n2" %}{{ loop.index }}{{ h }}{% endfor %}')).toBe('1n12n3');
    expect(r('{% for h in hosts %}{% if h == "n2" %}{% break %}{% endif %}{{ h }}{% endfor %}')).toBe('n1');
    expect(r('{% for h in hosts %}{% if h == "n2" %}{% continue %}{% endif %}{{ h }}{% endfor %}')).toBe('n1n3');
    expect(r('{% set acc = [] %}{% for h in hosts %}{% do acc.append(h | upper) %}{% endfor %}{{ acc | join }}')).toBe(
      'N1N2N3',
    );
    expect(() => r('{% break %}')).toThrow(/\{% break %\} outside a for loop/);
  });
  it('set, including block set, with loop scoping', () => {
    expect(r('{% set x = port * 2 %}{{ x }}')).toBe('4758');
    expect(r('{% set x %}a{{ port }}{% endset %}[{{ x }}]')).toBe('[a2379]');
    expect(r('{% set x = 1 %}{% for h in hosts %}{% set x = 2 %}{% endfor %}{{ x }}')).toBe('1');
    expect(r('{% set a, b = (hosts[0], hosts[1]) %}{{ a }}{{ b }}')).toBe('n1n2');
  });
  it('trims the newline after a block tag (trim_blocks, as Ansible)', () => {
    expect(r('{% for h in hosts %}\n{{ h }}\n{% endfor %}\n')).toBe('n1\nn2\nn3\n');
    expect(r('a {#- comment -#} b')).toBe('ab');
    expect(renderString('{# header #}\nx', ctx)).toBe('x');
    expect(renderString('{# header #}\nx', ctx, {}, { trimBlocks: false })).toBe('\nx');
    expect(r('{% raw %}{{ not rendered }}{% endraw %}')).toBe('{{ not rendered }}');
  });
  it('reports syntax errors with the template position', () => {
    const e = caught(() =>
      renderValue('ok\n{{ hosts | }}', ctx, {
        src: { file: 'a.yml', line: 3, col: 5 },
      }),
    );
    expect(e.code).toBe('E_TEMPLATE');
    expect(e.message).toMatch(
      /^template syntax error: .*\(template line 2, column \d+\) — in template "ok \{\{ hosts \| \}\}"$/,
    );
    expect(e.src).toEqual({ file: 'a.yml', line: 3, col: 5 });
  });
  it('locates runtime errors and keeps values in messages short', () => {
    const long = 'x'.repeat(200);
    const e = caught(() =>
      renderValue(
        '{{ long + 1 }}',
        { long },
        { src: { file: 'b.yml', line: 7, col: 3 }, host: 'n1', task: 't', field: 'args.x' },
      ),
    );
    expect(e.code).toBe('E_TEMPLATE');
    expect(e.src).toEqual({ file: 'b.yml', line: 7, col: 3 });
    expect(e.host).toBe('n1');
    expect(e.message).toContain('unsupported operand types for +: str and int');
    expect(e.message).toContain('in template "{{ long + 1 }}" in args.x');
    expect(e.message).not.toContain(long);
  });
  it('refuses unsupported statements clearly', () => {
    expect(() => r('{% macro m() %}x{% endmacro %}')).toThrow(/\{% macro %\} is not supported/);
    expect(() => r('{% call m() %}x{% endcall %}')).toThrow(/\{% call %\} is not supported/);
    expect(() => r('{% from "a" import b %}')).toThrow(/\{% from %\} is not supported/);
    expect(() => r('{% with a = 1 %}{% endwith %}')).toThrow(/unknown block tag: with/);
  });
  it('returns the same result when a cached template is rendered again for another host', () => {
    const t = '{{ etcd_name }}-{{ port }}';
    expect(r(t)).toBe('etcd-1-2379');
    expect(r(t, { etcd_name: 'etcd-2', port: 1 })).toBe('etcd-2-1');
  });
});

describe('renderString (template module)', () => {
  it('always renders to text and keeps the trailing newlines (as Ansible)', () => {
    expect(renderString('{{ port }}\n', ctx)).toBe('2379\n');
    expect(renderString('{% if true %}a{% endif %}\n', ctx)).toBe('a\n');
    expect(renderString('a\n{% if true %}\nb\n{% endif %}\n\n', ctx)).toBe('a\nb\n\n');
    expect(renderString('{{ hosts | length }}', ctx)).toBe('3');
  });
  it('honours lstrip_blocks and trim_blocks options', () => {
    const t = 'a\n  {% if true %}\nb\n  {% endif %}\nc';
    expect(renderString(t, ctx)).toBe('a\n  b\n  c');
    expect(renderString(t, ctx, {}, { lstripBlocks: true })).toBe('a\nb\nc');
    expect(renderString(t, ctx, {}, { trimBlocks: false })).toBe('a\n  \nb\n  \nc');
  });
  it('includes files only from the search path', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'lb-vars-'));
    try {
      writeFileSync(join(dir, 'part.j2'), 'name={{ etcd_name }}');
      expect(renderString("[{% include 'part.j2' %}]", ctx, {}, { searchPath: [dir] })).toBe('[name=etcd-1]');
      expect(() => renderString("{% include 'missing.j2' %}", ctx, {}, { searchPath: [dir] })).toThrow(/not found/);
      expect(() => renderString("{% include 'part.j2' %}", ctx)).toThrow(
        /only available in files rendered by the template module/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('evalExpression / evalCondition', () => {
  it('evaluates bare expressions with native results', () => {
    expect(evalExpression('hosts | length', ctx)).toBe(3);
    expect(evalExpression("member['name']", ctx)).toBe('etcd-1');
    expect(evalExpression(5, ctx)).toBe(5);
  });
  it('evaluates conditions', () => {
    expect(evalCondition(true, ctx)).toBe(true);
    expect(evalCondition('port == 2379', ctx)).toBe(true);
    expect(evalCondition('hosts | length > 0', ctx)).toBe(true);
    expect(evalCondition('empty', ctx)).toBe(false);
    expect(evalCondition('not flag', ctx)).toBe(true);
    expect(evalCondition("'n2' in hosts and etcd_name is defined", ctx)).toBe(true);
    expect(evalCondition('nope is not defined', ctx)).toBe(true);
  });
  it('reads boolean words from strings (-e flag=false) and evaluates {{ }} conditions', () => {
    expect(evalCondition('flag', { flag: 'false' })).toBe(false);
    expect(evalCondition('flag', { flag: 'yes' })).toBe(true);
    expect(evalCondition('flag', { flag: 'anything' })).toBe(true);
    expect(evalCondition('{{ port }} == 2379', ctx)).toBe(true);
    expect(evalCondition('{{ flag }}', ctx)).toBe(false);
    expect(evalCondition('yes', ctx)).toBe(true);
    expect(evalCondition('off', ctx)).toBe(false);
    expect(evalCondition('yes', { yes: false })).toBe(false);
  });
  it('rejects an empty expression and reports undefined names', () => {
    expect(() => evalCondition('  ', ctx)).toThrow(/empty expression/);
    expect(() => evalCondition('etcd_nmae == 1', ctx, { task: 't' })).toThrow(/'etcd_nmae' is undefined/);
  });
});

describe('checkTemplate (load-time syntax check)', () => {
  it('returns nothing for good templates and plain strings, without rendering', () => {
    expect(checkTemplate('{{ undefined_is_fine_here }}')).toBeUndefined();
    expect(checkTemplate('no template')).toBeUndefined();
    expect(checkTemplate('result.rc == 0', {}, { expression: true })).toBeUndefined();
  });
  it('returns the positioned E_TEMPLATE error for bad syntax', () => {
    const e = checkTemplate('{% if x %}unclosed', { src: { file: 'p.yml', line: 9, col: 7 }, task: 't' });
    expect(e?.code).toBe('E_TEMPLATE');
    expect(e?.src).toEqual({ file: 'p.yml', line: 9, col: 7 });
    expect(e?.message).toMatch(/^template syntax error: /);
    expect(checkTemplate('x ==', {}, { expression: true })?.code).toBe('E_TEMPLATE');
    expect(checkTemplate('{% macro m() %}{% endmacro %}')?.message).toMatch(/macro %\} is not supported/);
  });
});
