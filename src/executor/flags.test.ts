import { describe, expect, it } from 'vitest';
import { asBool, flagValue, resolveFlags } from './flags.js';

const where = { src: { file: 'site.yml', line: 1, col: 1 }, host: 'h1', field: 'run_once' };

describe('templated boolean keywords', () => {
  it('reads rendered values as Ansible reads booleans', () => {
    expect([asBool('yes'), asBool('True'), asBool('1'), asBool('no'), asBool('false'), asBool(''), asBool(0), asBool(2)]).toEqual([true, true, true, false, false, false, false, true]);
  });

  it('renders a template with the host vars; literals pass through; absent stays undefined', () => {
    expect(flagValue('{{ not download_localhost }}', { download_localhost: false }, where)).toBe(true);
    expect(flagValue('{{ x | default(true) }}', {}, where)).toBe(true);
    expect(flagValue(false, {}, where)).toBe(false);
    expect(flagValue(undefined, {}, where)).toBeUndefined();
  });

  it('resolves every templated flag of a frame and leaves the rest', () => {
    const f = resolveFlags({ become: '{{ b }}', noLog: true, runOnce: '{{ r }}', other: 1 }, { b: 'no', r: 'yes' }, where);
    expect(f).toEqual({ become: false, noLog: true, runOnce: true, other: 1 });
  });

  it('an undefined variable in the template is an error naming the keyword', () => {
    expect(() => flagValue('{{ nope }}', {}, where)).toThrow(/nope/);
  });
});
