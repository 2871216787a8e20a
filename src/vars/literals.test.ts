import { describe, expect, it } from 'vitest';
import { renderValue } from './index.js';

const r = (v: string, c: Record<string, unknown> = {}) => renderValue(v, c, { host: 'n1' });

describe('Jinja literals (parse-aggregate.ts)', () => {
  it('accepts a trailing comma in dicts, lists, tuples and calls, as Jinja2', () => {
    expect(r("{% set d = {'a': 1,} %}{{ d }}")).toBe("{'a': 1}");
    expect(r("{% set d = {'a': {'b': 1,},} -%}{{ d.a.b }}")).toBe('1');
    expect(r('{{ [1, 2,] }}')).toEqual([1, 2]);
    expect(r('{{ (1, 2,) }}')).toEqual([1, 2]);
    expect(r("{{ 'a-b-c'.split('-', 1,) }}")).toEqual(['a', 'b-c']);
    expect(r("{{ [3, 1] | sort(reverse=true,) }}")).toEqual([3, 1]);
  });
  it('reads (x,) as a one-element tuple and (x) as x', () => {
    expect(r('{{ (1,) }}')).toEqual([1]);
    expect(r('{{ (1) }}')).toBe(1);
    expect(r('{{ () }}')).toEqual([]);
  });
  it('takes any expression as a dict key', () => {
    expect(r("{{ {'k' ~ n: 1} }}", { n: 2 })).toEqual({ k2: 1 });
    expect(r('{{ {host: 1} }}', { host: 'n1' })).toEqual({ n1: 1 });
  });
  it('refuses a literal closed by the wrong bracket, and a missing comma', () => {
    expect(() => r('{{ [1, 2) }}')).toThrow(/expected , or \]/);
    expect(() => r("{{ {'a': 1 'b': 2} }}")).toThrow(/expected , or \}/);
    expect(() => r('{{ [1, 2 }}')).toThrow(/template syntax error/);
  });
  it('builds a dict in a multi-line set with a nested literal (etcd-ansible / kubespray shape)', () => {
    const src = `{%- set _d = {} -%}
{%- for host in hosts -%}
{%- set _member = {
  host: {
    "name": host,
    "url": "https://" + host + ":2379",
    }} -%}
{%- set _tmp = _d.update(_member) -%}
{%- endfor -%}
{{ _d }}`;
    expect(r(src, { hosts: ['n1', 'n2'] })).toBe(
      "{'n1': {'name': 'n1', 'url': 'https://n1:2379'}, 'n2': {'name': 'n2', 'url': 'https://n2:2379'}}",
    );
  });
});

describe('mutating methods, as Jinja2 allows them', () => {
  it('dict.update with a mapping, pairs or keywords returns None and changes the dict', () => {
    expect(r("{% set d = {} %}{% set _ = d.update({'a': 1}) %}{{ d }}")).toBe("{'a': 1}");
    expect(r("{% set d = {'a': 0} %}{{ d.update([['b', 2]], c=3) }} {{ d }}")).toBe("None {'a': 0, 'b': 2, 'c': 3}");
  });
  it('dict.setdefault and dict.pop', () => {
    expect(r("{% set d = {'a': 1} %}{{ d.setdefault('a', 5) }}{{ d.setdefault('b', []) }}{{ d }}")).toBe(
      "1[]{'a': 1, 'b': []}",
    );
    expect(r("{% set d = {'a': 1} %}{{ d.pop('a') }}{{ d.pop('x', 'no') }}{{ d }}")).toBe('1no{}');
    expect(() => r("{{ {}.pop('x') }}")).toThrow(/KeyError: 'x'/);
  });
  it('list.append, insert, pop and remove', () => {
    expect(r("{% set l = [] %}{% for k in ['a', 'b'] %}{% set _ = l.append(k) %}{% endfor %}{{ l }}")).toBe("['a', 'b']");
    expect(r("{% set l = [1, 3] %}{% do l.insert(1, 2) %}{{ l.pop() }}{{ l.pop(0) }}{{ l }}")).toBe('31[2]');
    expect(r("{% set l = [1, 2, 1] %}{% do l.remove(1) %}{{ l }}")).toBe('[2, 1]');
  });
  it('never changes the variable a template read: each read is a copy', () => {
    const vars = { base: { a: 1 } };
    expect(r("{% set _ = base.update({'b': 2}) %}{{ base }}", vars)).toBe("{'a': 1}");
    expect(vars.base).toEqual({ a: 1 });
  });
});
