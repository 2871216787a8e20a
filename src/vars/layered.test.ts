import { describe, expect, it } from 'vitest';
import { layeredVars, renderValue, withDataVars } from './index.js';
import type { LayeredVarsInput } from './types.js';

/** The levels, lowest first, each given a layer that sets `v` to the level's name. */
const LEVELS: Array<[string, (v: string) => LayeredVarsInput]> = [
  ['role defaults', (v) => ({ roleDefaults: [{ v }] })],
  ['inventory', (v) => ({ inventory: { v } })],
  ['facts', (v) => ({ facts: { v } })],
  ['play vars', (v) => ({ playVars: { v } })],
  ['vars_files', (v) => ({ varsFiles: [{ v }] })],
  ['role vars', (v) => ({ roleVars: [{ v }] })],
  ['role params', (v) => ({ roleParams: [{ v }] })],
  ['block vars', (v) => ({ blockVars: [{ v }] })],
  ['task vars', (v) => ({ taskVars: { v } })],
  ['include params', (v) => ({ includeParams: [{ v }] })],
  ['registered / set_fact', (v) => ({ registered: { v } })],
  ['extra vars', (v) => ({ extraVars: { v } })],
  ['magic', (v) => ({ magic: { v } })],
];

describe('layeredVars precedence', () => {
  for (let i = 0; i + 1 < LEVELS.length; i++) {
    const [lowName, low] = LEVELS[i] as (typeof LEVELS)[number];
    const [highName, high] = LEVELS[i + 1] as (typeof LEVELS)[number];
    it(`${highName} beats ${lowName}`, () => {
      expect(layeredVars({ ...low('low'), ...high('high') }).v).toBe('high');
      expect(layeredVars(low('low')).v).toBe('low');
    });
  }
  it('every level beats every lower one, all given at once', () => {
    const all: LayeredVarsInput = {};
    LEVELS.forEach(([name, f], i) => {
      Object.assign(all, f(name));
      expect(layeredVars(all).v).toBe(LEVELS[i]?.[0]);
    });
  });
  it('the inner block and the later list entry win', () => {
    expect(layeredVars({ blockVars: [{ v: 'outer', o: 1 }, { v: 'inner' }] })).toEqual({ v: 'inner', o: 1 });
    expect(layeredVars({ roleDefaults: [{ v: 'dep' }, { v: 'role' }] }).v).toBe('role');
  });
  it('replaces whole values (no deep merge) and keeps variables of lower layers', () => {
    const out = layeredVars({
      inventory: { m: { a: 1, b: 2 }, keep: true },
      taskVars: { m: { a: 9 } },
    });
    expect(out).toEqual({ m: { a: 9 }, keep: true });
  });
  it('does not modify its inputs', () => {
    const inv = { a: 1 };
    layeredVars({ inventory: inv, extraVars: { a: 2 } });
    expect(inv).toEqual({ a: 1 });
  });
});

describe('data layers are never rendered again', () => {
  const vars = layeredVars({
    inventory: { who: 'inv', tpl_var: '{{ who }}' },
    facts: { ansible_motd: 'hello {{ not_a_var }}' },
    registered: { out: { stdout: 'printed {{ literally }}', rc: 0 } },
    extraVars: { ev: '{{ who }}!' },
    magic: { item: 'line with {{ braces }}', inventory_hostname: 'n1' },
  });
  it('keeps registered output, facts and loop items as they are', () => {
    expect(renderValue('{{ out.stdout }}', vars)).toBe('printed {{ literally }}');
    expect(renderValue('{{ ansible_motd }}', vars)).toBe('hello {{ not_a_var }}');
    expect(renderValue('<{{ item }}>', vars)).toBe('<line with {{ braces }}>');
  });
  it('still renders variables from the other layers, extra vars included', () => {
    expect(renderValue('{{ tpl_var }}', vars)).toBe('inv');
    expect(renderValue('{{ ev }}', vars)).toBe('inv!');
  });
  it('a higher templated layer makes the name rendered again', () => {
    const v = layeredVars({ registered: { x: '{{ y }}' }, extraVars: { x: '{{ y }}' }, inventory: { y: 1 } });
    expect(renderValue('{{ x }}', v)).toBe(1);
  });
  it('survives a spread of the vars object', () => {
    expect(renderValue('{{ out.stdout }}', { ...vars, extra: 1 })).toBe('printed {{ literally }}');
  });
  it('templates cannot change the variables (each lookup is a copy, as in Ansible)', () => {
    const v = layeredVars({ inventory: { l: [1] }, registered: { r: { lines: ['a'] } } });
    expect(
      renderValue('{% set acc = [] %}{% for x in l %}{% set _ = acc.append(x * 2) %}{% endfor %}{{ acc }}', v),
    ).toEqual('[2]');
    expect(renderValue('{% set _ = l.append(2) %}{{ l }}', v)).toEqual('[1]');
    expect(renderValue('{% set lines = r.lines %}{% set _ = lines.append(2) %}{{ lines | length }}', v)).toBe('2');
    expect(v.l).toEqual([1]);
    expect(v.r).toEqual({ lines: ['a'] });
  });
});

describe('withDataVars', () => {
  it('adds loop variables as data, keeping the data names of the base', () => {
    const base = layeredVars({ inventory: { x: '{{ y }}', y: 1 }, registered: { r: '{{ raw }}' } });
    const v = withDataVars(base, { item: 'line {{ with braces }}' });
    expect(renderValue('{{ item }}', v)).toBe('line {{ with braces }}');
    expect(renderValue('{{ r }}', v)).toBe('{{ raw }}');
    expect(renderValue('{{ x }}', v)).toBe(1);
    expect(() => renderValue('{{ item }}', { ...base, item: '{{ nope }}' })).toThrow(/'nope' is undefined/);
  });
});
