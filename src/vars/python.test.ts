import { describe, expect, it } from 'vitest';
import { renderValue } from './index.js';

/** Python-isms people write in `when:` and task arguments. */
const ctx = {
  csv: 'a,b,,c',
  text: '  padded \n',
  version: 'v3.5.9',
  hosts: ['n1', 'n2'],
  d: { b: 2, a: 1 },
  n: 7,
  s: 'etcd-1.example.com',
  home_var: 'HOME',
};
const r = (v: string) => renderValue(v, ctx);

describe('python-ish expressions', () => {
  it('in / not in on lists, strings and dicts', () => {
    expect(r("{{ 'n1' in hosts }}")).toBe(true);
    expect(r("{{ 'n9' not in hosts }}")).toBe(true);
    expect(r("{{ 'etcd' in s }}")).toBe(true);
    expect(r("{{ 'a' in d }}")).toBe(true);
    expect(r("{{ 'z' in d }}")).toBe(false);
  });
  it('~ concatenation, and/or returning operands, not, is not', () => {
    expect(r("{{ 'a' ~ n ~ none }}")).toBe('a7None');
    expect(r("{{ '' or 'fallback' }}")).toBe('fallback');
    expect(r("{{ 'x' and 'y' }}")).toBe('y');
    expect(r('{{ not hosts }}')).toBe(false);
    expect(r('{{ n is not string }}')).toBe(true);
    expect(r('{{ n is not none }}')).toBe(true);
  });
  it('True / False / None literals in both spellings', () => {
    expect(r('{{ True }}')).toBe(true);
    expect(r('{{ false }}')).toBe(false);
    expect(r('{{ None }}')).toBeNull();
    expect(r('{{ [True, none] }}')).toEqual([true, null]);
  });
  it('string methods', () => {
    expect(r("{{ csv.split(',') }}")).toEqual(['a', 'b', '', 'c']);
    expect(r('{{ text.split() }}')).toEqual(['padded']);
    expect(r("{{ csv.split(',', 1) }}")).toEqual(['a', 'b,,c']);
    expect(r("{{ s.startswith('etcd') }}")).toBe(true);
    expect(r("{{ s.startswith(('x', 'etc')) }}")).toBe(true);
    expect(r("{{ s.endswith('.com') }}")).toBe(true);
    expect(r('{{ text.strip() }}')).toBe('padded');
    expect(r("{{ version.lstrip('v') }}")).toBe('3.5.9');
    expect(r("{{ s.split('.')[0] }}")).toBe('etcd-1');
    expect(r("{{ s.replace('-', '_') }}")).toBe('etcd_1.example.com');
    expect(r("{{ ','.join(hosts) }}")).toBe('n1,n2');
    expect(r("{{ '{}:{}'.format(s, n) }}")).toBe('etcd-1.example.com:7');
    expect(r('{{ s.upper() }}')).toBe('ETCD-1.EXAMPLE.COM');
  });
  it('dict methods', () => {
    expect(r('{{ d.keys() | list }}')).toEqual(['b', 'a']);
    expect(r('{{ d.values() | list }}')).toEqual([2, 1]);
    expect(r('{{ d.items() | list }}')).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
    expect(r("{{ d.get('a') }}")).toBe(1);
    expect(r("{{ d.get('zz', 'dflt') }}")).toBe('dflt');
  });
  it('unknown methods are an error with a suggestion', () => {
    expect(() => r("{{ s.startsWith('e') }}")).toThrow(/'s' is a str, which has no method 'startsWith'/);
  });
  it('comparisons, chained comparisons, arithmetic', () => {
    expect(r('{{ hosts | length > 0 }}')).toBe(true);
    expect(r('{{ 1 < n <= 7 }}')).toBe(true);
    expect(r('{{ n // 2 }}')).toBe(3);
    expect(r('{{ n / 2 }}')).toBe(3.5);
    expect(r('{{ n % 4 }}')).toBe(3);
    expect(r('{{ 2 ** 10 }}')).toBe(1024);
    expect(r('{{ -n }}')).toBe(-7);
    expect(r('{{ hosts + ["n3"] }}')).toEqual(['n1', 'n2', 'n3']);
    expect(r("{{ 'ab' * 2 }}")).toBe('abab');
    expect(r("{{ '%s-%d' % ('x', 3) }}")).toBe('x-3');
    expect(r('{{ [1, 2] == [1, 2] }}')).toBe(true);
    expect(r("{{ {'a': 1} == {'a': 1} }}")).toBe(true);
    expect(r('{{ n if n > 5 else 0 }}')).toBe(7);
  });
  it('comparing a string with a number is an error, as in Python', () => {
    expect(() => r("{{ '3' < 4 }}")).toThrow(/cannot compare str with int/);
    expect(() => r("{{ 'a' + 1 }}")).toThrow(/unsupported operand types for \+: str and int/);
  });
  it('range(), dict(), lookup() and query()', () => {
    expect(r('{{ range(3) | list }}')).toEqual([0, 1, 2]);
    expect(r('{{ range(1, 7, 2) }}')).toEqual([1, 3, 5]);
    expect(r('{{ dict(a=1, b=2) }}')).toEqual({ a: 1, b: 2 });
    expect(r("{{ lookup('env', 'HOME') }}")).toBe(process.env.HOME);
    expect(r("{{ lookup('env', home_var) }}")).toBe(process.env.HOME);
    expect(r("{{ lookup('env', 'LIFEBOAT_SURELY_UNSET_VAR') }}")).toBe('');
    expect(r("{{ lookup('env', 'LIFEBOAT_SURELY_UNSET_VAR', default='x') }}")).toBe('x');
    expect(r("{{ query('env', 'HOME', 'HOME') }}")).toEqual([process.env.HOME, process.env.HOME]);
    expect(r("{{ lookup('env', 'HOME', 'HOME') }}")).toBe(`${process.env.HOME},${process.env.HOME}`);
    expect(() => r("{{ lookup('pipx', 'id') }}")).toThrow(/no lookup plugin named 'pipx'/);
    expect(() => r("{{ lookpu('env', 'HOME') }}")).toThrow(/no function named 'lookpu'/);
  });
  it('lookup file reads relative to the playbook dir and strips the trailing newline', async () => {
    const { mkdtempSync, writeFileSync, rmSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'lb-lookup-'));
    try {
      mkdirSync(join(dir, 'files'));
      writeFileSync(join(dir, 'files', 'token'), 's3cret\n');
      const c = { playbook_dir: dir };
      expect(renderValue("{{ lookup('file', 'token') }}", c)).toBe('s3cret');
      expect(renderValue(`{{ lookup('file', '${join(dir, 'files', 'token')}') }}`, c)).toBe('s3cret');
      expect(() => renderValue("{{ lookup('file', 'nope') }}", c)).toThrow(/file not found \(looked in /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('item.0 / item.1 index lists as Jinja does', () => {
    const c = { item: [{ name: 'a', l: [5, 6] }, 'b'], m: { '0': 'zero' } };
    expect(renderValue('{{ item.1 }}', c)).toBe('b');
    expect(renderValue('{{ item.0.name }}', c)).toBe('a');
    expect(renderValue('{{ item.0.l.1 }}', c)).toBe(6);
    expect(renderValue('{{ m.0 }}', c)).toBe('zero');
    expect(() => renderValue('{{ item.2 }}', c)).toThrow(/index 2 is out of range/);
  });
  it('vars gives dynamic access to variables', () => {
    const c = { role: 'etcd', etcd_port: 2379, tpl: 'p={{ etcd_port }}' };
    expect(renderValue("{{ vars['etcd_port'] }}", c)).toBe(2379);
    expect(renderValue("{{ vars[role ~ '_port'] + 1 }}", c)).toBe(2380);
    expect(renderValue('{{ vars.tpl }}', c)).toBe('p=2379');
    expect(renderValue("{{ vars['nope'] is defined }}", c)).toBe(false);
    expect(() => renderValue("{{ vars['etcd_prot'] }}", c)).toThrow(
      "'vars.etcd_prot' is undefined: 'vars' has no attribute 'etcd_prot'",
    );
  });
  it('slices of lists and strings', () => {
    expect(r('{{ hosts[1:] }}')).toEqual(['n2']);
    expect(r('{{ hosts[:1] }}')).toEqual(['n1']);
    expect(r('{{ hosts[::-1] }}')).toEqual(['n2', 'n1']);
    expect(r('{{ s[:6] }}')).toBe('etcd-1');
    expect(r('{{ s[-3:] }}')).toBe('com');
    expect(r('{{ s[::2][:3] }}')).toBe('ec-');
    expect(r('{{ hosts[5:] }}')).toEqual([]);
    expect(() => r('{{ n[1:] }}')).toThrow(/cannot slice 7/);
  });
  it('string literals use Python escapes', () => {
    expect(r("{{ '\\d+' }}")).toBe('\\d+');
    expect(r("{{ 'a\\nb' }}")).toBe('a\nb');
    expect(r("{{ '\\\\1' }}")).toBe('\\1');
    expect(r("{{ '\\x41' }}")).toBe('A');
    expect(r("{{ 'it\\'s' }}")).toBe("it's");
  });
});
