import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderValue } from '../index.js';

const ctx = {
  members: [
    { name: 'etcd-1', ip: '10.0.0.1', healthy: true, rev: 30 },
    { name: 'etcd-2', ip: '10.0.0.2', healthy: false, rev: 10 },
    { name: 'etcd-3', ip: '10.0.0.3', healthy: true, rev: 20 },
  ],
  names: ['b', 'A', 'c', 'a', 'b'],
  nums: [3, 1, 2],
  path: '/var/lib/etcd/member/',
  file: '/etc/etcd/etcd.conf',
  cfg: { a: { x: 1, y: [1] }, b: 2 },
  over: { a: { y: [2], z: 3 } },
  weird: "it's $HOME",
  json: '{"a": [1, 2], "b": null}',
  yaml: 'a: 1\nb: [x, y]\n',
};
const r = (v: string, c: Record<string, unknown> = ctx) => renderValue(v, c);

describe('list filters', () => {
  it('join, first, last, length/count', () => {
    expect(r("{{ nums | join(',') }}")).toBe('3,1,2');
    expect(r('{{ nums | join }}')).toBe('312');
    expect(r("{{ members | join(' ', attribute='name') }}")).toBe('etcd-1 etcd-2 etcd-3');
    expect(r('{{ nums | first }}')).toBe(3);
    expect(r('{{ nums | last }}')).toBe(2);
    expect(r('{{ nums | length }}')).toBe(3);
    expect(r("{{ 'abc' | count }}")).toBe(3);
    expect(r('{{ cfg | length }}')).toBe(2);
    expect(() => r('{{ [] | first }}')).toThrow(/the sequence is empty/);
  });
  it('map by attribute and by filter name', () => {
    expect(r("{{ members | map(attribute='ip') | list }}")).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(r("{{ names | map('upper') | list }}")).toEqual(['B', 'A', 'C', 'A', 'B']);
    expect(r("{{ names | map('regex_replace', '^', 'x-') | list }}")).toEqual(['x-b', 'x-A', 'x-c', 'x-a', 'x-b']);
    expect(r("{{ members | map(attribute='nope', default='?') | list }}")).toEqual(['?', '?', '?']);
    expect(() => r("{{ members | map(attribute='nope') | join(',') }}")).toThrow(/'item.nope' is undefined/);
  });
  it('select / reject with a test name', () => {
    expect(r("{{ names | select('match', '[ab]') | list }}")).toEqual(['b', 'a', 'b']);
    expect(r("{{ names | reject('match', '[ab]') | list }}")).toEqual(['A', 'c']);
    expect(r("{{ nums | select('gt', 1) | list }}")).toEqual([3, 2]);
    expect(r("{{ ['', 'x', none] | select | list }}")).toEqual(['x']);
  });
  it('selectattr / rejectattr', () => {
    expect(r("{{ members | selectattr('healthy') | map(attribute='name') | list }}")).toEqual(['etcd-1', 'etcd-3']);
    expect(r("{{ members | rejectattr('healthy') | map(attribute='name') | list }}")).toEqual(['etcd-2']);
    expect(r("{{ members | selectattr('name', 'equalto', 'etcd-2') | map(attribute='ip') | first }}")).toBe('10.0.0.2');
    expect(r("{{ members | selectattr('rev', '>', 15) | list | length }}")).toBe(2);
    expect(r("{{ [{'a': 1}, {}] | selectattr('a', 'defined') | list }}")).toEqual([{ a: 1 }]);
  });
  it('unique, sort (case-insensitive by default, attribute, reverse), min, max, sum', () => {
    expect(r('{{ names | unique }}')).toEqual(['b', 'A', 'c', 'a']);
    expect(r('{{ nums | sort }}')).toEqual([1, 2, 3]);
    expect(r('{{ nums | sort(reverse=true) }}')).toEqual([3, 2, 1]);
    expect(r('{{ names | sort }}')).toEqual(['A', 'a', 'b', 'b', 'c']);
    expect(r('{{ names | sort(case_sensitive=true) }}')).toEqual(['A', 'a', 'b', 'b', 'c'].sort());
    expect(r("{{ members | sort(attribute='rev') | map(attribute='name') | list }}")).toEqual([
      'etcd-2',
      'etcd-3',
      'etcd-1',
    ]);
    expect(r("{{ (members | max(attribute='rev')).name }}")).toBe('etcd-1');
    expect(r('{{ nums | min }}')).toBe(1);
    expect(r('{{ nums | max }}')).toBe(3);
    expect(r('{{ nums | sum }}')).toBe(6);
    expect(r("{{ members | sum(attribute='rev') }}")).toBe(60);
  });
  it('dict2items, items2dict, combine (recursive), zip, list, dict', () => {
    expect(r('{{ {"b": 2} | dict2items }}')).toEqual([{ key: 'b', value: 2 }]);
    expect(r("{{ {'b': 2} | dict2items(key_name='k', value_name='v') }}")).toEqual([{ k: 'b', v: 2 }]);
    expect(r("{{ [{'key': 'a', 'value': 1}] | items2dict }}")).toEqual({
      a: 1,
    });
    expect(r('{{ cfg | combine(over) }}')).toEqual({
      a: { y: [2], z: 3 },
      b: 2,
    });
    expect(r('{{ cfg | combine(over, recursive=True) }}')).toEqual({
      a: { x: 1, y: [2], z: 3 },
      b: 2,
    });
    expect(r("{{ cfg | combine(over, recursive=True, list_merge='append') }}")).toEqual({
      a: { x: 1, y: [1, 2], z: 3 },
      b: 2,
    });
    expect(r("{{ ['a', 'b'] | zip([1, 2, 3]) | list }}")).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(r("{{ ['a', 'b'] | zip([1, 2]) | list | dict }}")).toEqual({
      a: 1,
      b: 2,
    });
    expect(r("{{ 'ab' | list }}")).toEqual(['a', 'b']);
    expect(r('{{ cfg | list }}')).toEqual(['a', 'b']);
  });
  it('reverse, items, zip_longest, symmetric_difference', () => {
    expect(r('{{ nums | reverse }}')).toEqual([2, 1, 3]);
    expect(r("{{ 'abc' | reverse }}")).toBe('cba');
    expect(r("{{ {'a': 1} | items }}")).toEqual([['a', 1]]);
    expect(r("{{ [1, 2] | zip_longest(['x'], fillvalue='-') }}")).toEqual([
      [1, 'x'],
      [2, '-'],
    ]);
    expect(r('{{ [1, 2] | symmetric_difference([2, 3]) }}')).toEqual([1, 3]);
  });
  it('flatten, union, intersect, difference', () => {
    expect(r('{{ [1, [2, [3]]] | flatten }}')).toEqual([1, 2, 3]);
    expect(r('{{ [1, [2, [3]]] | flatten(levels=1) }}')).toEqual([1, 2, [3]]);
    expect(r('{{ [1, 2] | union([2, 3]) }}')).toEqual([1, 2, 3]);
    expect(r('{{ [1, 2] | intersect([2, 3]) }}')).toEqual([2]);
    expect(r('{{ [1, 2] | difference([2, 3]) }}')).toEqual([1]);
  });
});

describe('string filters', () => {
  it('lower, upper, replace, trim, split', () => {
    expect(r("{{ 'AbC' | lower }}")).toBe('abc');
    expect(r("{{ 'AbC' | upper }}")).toBe('ABC');
    expect(r("{{ 'a-b-c' | replace('-', '_') }}")).toBe('a_b_c');
    expect(r("{{ 'a-b-c' | replace('-', '_', 1) }}")).toBe('a_b-c');
    expect(r("{{ '  x \n' | trim }}")).toBe('x');
    expect(r("{{ 'a,b' | split(',') }}")).toEqual(['a', 'b']);
    expect(r("{{ ' a  b ' | split }}")).toEqual(['a', 'b']);
  });
  it('regex_replace with Python backreferences', () => {
    expect(r("{{ 'etcd-12' | regex_replace('^etcd-(\\\\d+)$', 'member\\\\1') }}")).toBe('member12');
    expect(r("{{ 'k=v' | regex_replace('(?P<k>\\\\w)=(?P<v>\\\\w)', '\\\\g<v>=\\\\g<k>') }}")).toBe('v=k');
    expect(r("{{ 'aaa' | regex_replace('a', 'b') }}")).toBe('bbb');
    expect(r("{{ 'AaA' | regex_replace('a', 'b', ignorecase=True) }}")).toBe('bbb');
    expect(r("{{ 'cost $5' | regex_replace('\\\\$(\\\\d)', '\\\\1 dollars') }}")).toBe('cost 5 dollars');
    expect(r("{{ 'a.b' | regex_replace('\\\\.', '$') }}")).toBe('a$b');
  });
  it('regex_search returns the match, the groups, or none', () => {
    expect(r("{{ 'etcd Version: 3.5.9' | regex_search('\\\\d+\\\\.\\\\d+\\\\.\\\\d+') }}")).toBe('3.5.9');
    expect(r("{{ 'nothing here' | regex_search('\\\\d+') }}")).toBeNull();
    expect(r("{{ 'v3.5' | regex_search('(\\\\d+)\\\\.(\\\\d+)', '\\\\2', '\\\\1') }}")).toEqual(['5', '3']);
    expect(r("{{ 'nothing' | regex_search('\\\\d+') is none }}")).toBe(true);
    expect(r("{{ 'a1b22' | regex_findall('\\\\d+') }}")).toEqual(['1', '22']);
  });
  it('b64encode / b64decode, basename / dirname as Python os.path', () => {
    expect(r("{{ 'héllo' | b64encode }}")).toBe(Buffer.from('héllo').toString('base64'));
    expect(r("{{ 'aMOpbGxv' | b64decode }}")).toBe('héllo');
    expect(r('{{ file | basename }}')).toBe('etcd.conf');
    expect(r('{{ file | dirname }}')).toBe('/etc/etcd');
    expect(r('{{ path | basename }}')).toBe('');
    expect(r('{{ path | dirname }}')).toBe('/var/lib/etcd/member');
    expect(r("{{ 'x' | dirname }}")).toBe('');
    expect(r("{{ '/x' | dirname }}")).toBe('/');
  });
  it('quote gives one POSIX shell word', () => {
    expect(r('{{ weird | quote }}')).toBe("'it'\\''s $HOME'");
    expect(r("{{ 'plain' | quote }}")).toBe('plain');
    expect(r("{{ '' | quote }}")).toBe("''");
  });
  it('indent, regex_escape, checksum, capitalize, title', () => {
    expect(r("{{ 'a\nb\n\nc' | indent(2) }}")).toBe('a\n  b\n\n  c');
    expect(r("{{ 'a\nb' | indent(2, true) }}")).toBe('  a\n  b');
    expect(r("{{ '1.2.3[x]' | regex_escape }}")).toBe('1\\.2\\.3\\[x\\]');
    expect(r("{{ 'abc' | checksum }}")).toBe(createHash('sha1').update('abc').digest('hex'));
    expect(r("{{ 'hELLO wORLD' | capitalize }}")).toBe('Hello world');
    expect(r("{{ 'hELLO wORLD' | title }}")).toBe('Hello World');
  });
  it('hash', () => {
    expect(r("{{ 'abc' | hash('sha256') }}")).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(r("{{ 'abc' | hash }}")).toBe(createHash('sha1').update('abc').digest('hex'));
    expect(() => r("{{ 'abc' | hash('crc') }}")).toThrow(/unknown algorithm 'crc'/);
  });
});

describe('conversions and numbers', () => {
  it('int, float, bool, string', () => {
    expect(r("{{ '42' | int }}")).toBe(42);
    expect(r("{{ '4.7' | int }}")).toBe(4);
    expect(r("{{ 'x' | int }}")).toBe(0);
    expect(r("{{ 'x' | int(7) }}")).toBe(7);
    expect(r("{{ 'ff' | int(base=16) }}")).toBe(255);
    expect(r("{{ '2.5' | float }}")).toBe(2.5);
    for (const s of ['yes', 'on', '1', 'true', 'True', 'YES']) expect(r(`{{ '${s}' | bool }}`)).toBe(true);
    for (const s of ['no', 'off', '0', 'false', 'False', 'nope']) expect(r(`{{ '${s}' | bool }}`)).toBe(false);
    expect(r('{{ 1 | bool }}')).toBe(true);
    expect(r('{{ none | bool }}')).toBe(false);
    expect(r('{{ 5 | string }}')).toBe('5');
    expect(r('{{ [1] | string }}')).toBe('[1]');
  });
  it('abs, round, ternary', () => {
    expect(r('{{ -3 | abs }}')).toBe(3);
    expect(r('{{ 2.567 | round(2) }}')).toBe(2.57);
    expect(r('{{ 2.5 | round }}')).toBe(3);
    expect(r("{{ 2.1 | round(0, 'ceil') }}")).toBe(3);
    expect(r("{{ true | ternary('y', 'n') }}")).toBe('y');
    expect(r("{{ 0 | ternary('y', 'n') }}")).toBe('n');
    expect(r("{{ none | ternary('y', 'n', 'null') }}")).toBe('null');
  });
  it('mandatory names the variable', () => {
    expect(() => r('{{ etcd_snapshot | mandatory }}')).toThrow("mandatory variable 'etcd_snapshot' is not defined");
    expect(() => r("{{ x | mandatory('set x please') }}")).toThrow('set x please');
    expect(r('{{ nums | mandatory }}')).toEqual([3, 1, 2]);
  });
  it('unknown filters suggest the nearest', () => {
    expect(() => r('{{ nums | lenght }}')).toThrow(/no filter named 'lenght'/);
    expect(r('{{ nums | ansible.builtin.length }}')).toBe(3);
  });
});

describe('data filters', () => {
  it('to_json / to_nice_json / from_json, as Python json', () => {
    expect(r("{{ {'a': [1, 'x'], 'b': none, 'c': true} | to_json }}")).toBe('{"a": [1, "x"], "b": null, "c": true}');
    expect(r("{{ {'b': 1, 'a': [1]} | to_nice_json }}")).toBe('{\n    "a": [\n        1\n    ],\n    "b": 1\n}');
    expect(r('{{ json | from_json }}')).toEqual({ a: [1, 2], b: null });
    expect(r("{{ {'k': 'héllo'} | to_json }}")).toBe('{"k": "h\\u00e9llo"}');
    expect(r("{{ {'k': 'héllo'} | to_json(ensure_ascii=false) }}")).toBe('{"k": "héllo"}');
    expect(() => r("{{ '{bad' | from_json }}")).toThrow(/from_json: not valid JSON/);
  });
  it('to_yaml / to_nice_yaml / from_yaml', () => {
    expect(r('{{ yaml | from_yaml }}')).toEqual({ a: 1, b: ['x', 'y'] });
    expect(r("{{ {'a': 1, 'b': ['x']} | to_yaml }}")).toBe('a: 1\nb:\n  - x\n');
    expect(r("{{ {'b': {'c': 1}, 'a': 2} | to_nice_yaml }}")).toBe('a: 2\nb:\n    c: 1\n');
    expect(r("{{ ({'a': [1, {'b': 'x'}]} | to_yaml) | from_yaml }}")).toEqual({
      a: [1, { b: 'x' }],
    });
  });
});
