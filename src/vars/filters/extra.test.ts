import { describe, expect, it } from 'vitest';
import { renderValue } from '../index.js';

const r = (v: string, c: Record<string, unknown> = {}) => renderValue(v, c, { host: 'n1' });

describe('random, comment, urlsplit, type_debug, product, format, dictsort', () => {
  it('random picks from a list or below a number; the same seed gives the same pick', () => {
    expect(['a', 'b', 'c']).toContain(r("{{ ['a', 'b', 'c'] | random }}"));
    const n = r('{{ 60 | random(seed=inventory_hostname) }}', { inventory_hostname: 'n1' }) as number;
    expect(n).toBeGreaterThanOrEqual(0);
    expect(n).toBeLessThan(60);
    expect(r('{{ 60 | random(seed=inventory_hostname) }}', { inventory_hostname: 'n1' })).toBe(n);
    expect((r('{{ 100 | random(start=10, step=10) }}') as number) % 10).toBe(0);
    expect(() => r('{{ [] | random }}')).toThrow(/empty/);
  });
  it('comment decorates text as Ansible does', () => {
    expect(r("{{ 'managed by lifeboat' | comment }}")).toBe('#\n# managed by lifeboat\n#');
    expect(r("{{ 'a\nb' | comment('c') }}")).toBe('//\n// a\n// b\n//');
    expect(r("{{ 'x' | comment('cblock') }}")).toBe('/*\n *\n * x\n *\n */');
    expect(r("{{ 'x' | comment('xml') }}")).toBe('<!--\n -\n - x\n -\n-->');
  });
  it('urlsplit gives Python urlsplit parts, or one of them', () => {
    expect(r("{{ 'https://user:pw@Etcd-1.example:2379/v3/kv?x=1#f' | urlsplit }}")).toEqual({
      scheme: 'https',
      netloc: 'user:pw@Etcd-1.example:2379',
      path: '/v3/kv',
      query: 'x=1',
      fragment: 'f',
      username: 'user',
      password: 'pw',
      hostname: 'etcd-1.example',
      port: 2379,
    });
    expect(r("{{ 'https://10.0.0.1:6443' | urlsplit('hostname') }}")).toBe('10.0.0.1');
    expect(r("{{ 'http://[fd00::1]:80/' | urlsplit('hostname') }}")).toBe('fd00::1');
    expect(r("{{ 'https://a' | urlsplit('port') }}")).toBeNull();
    expect(() => r("{{ 'https://a' | urlsplit('host') }}")).toThrow(/unknown URL component/);
  });
  it('type_debug names the Python type', () => {
    expect(r('{{ x | type_debug }}', { x: 'a' })).toBe('str');
    expect(r('{{ 1 | type_debug }} {{ 1.5 | type_debug }} {{ [] | type_debug }} {{ {} | type_debug }} {{ none | type_debug }} {{ true | type_debug }}')).toBe(
      'int float list dict NoneType bool',
    );
  });
  it('product is itertools.product', () => {
    expect(r("{{ ['a', 'b'] | product([1, 2]) | list }}")).toEqual([['a', 1], ['a', 2], ['b', 1], ['b', 2]]);
    expect(r("{{ ['h1', 'h2'] | product(['2379']) | map('join', ':') | list }}")).toEqual(['h1:2379', 'h2:2379']);
    expect(r('{{ [0, 1] | product(repeat=2) }}')).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
  });
  it("format is Python's % formatting", () => {
    expect(r("{{ '%s:%d' | format('etcd', 2379) }}")).toBe('etcd:2379');
    expect(r("{{ '%05.1f|%-4s|%x|%%' | format(3.14159, 'ab', 255) }}")).toBe('003.1|ab  |ff|%');
    expect(r("{{ '%(a)s-%(b)s' | format(a=1, b=2) }}")).toBe('1-2');
    expect(() => r("{{ '%s %s' | format(1) }}")).toThrow(/not enough arguments/);
  });
  it('dictsort sorts pairs by key (case-insensitive) or by value', () => {
    expect(r("{{ {'b': 1, 'A': 2, 'c': 0} | dictsort }}")).toEqual([['A', 2], ['b', 1], ['c', 0]]);
    expect(r("{{ {'b': 1, 'A': 2, 'c': 0} | dictsort(by='value', reverse=true) }}")).toEqual([['A', 2], ['b', 1], ['c', 0]]);
    expect(r("{{ {'b': 1, 'A': 2} | dictsort(true) }}")).toEqual([['A', 2], ['b', 1]]);
  });
});

describe('ansible_version', () => {
  it('is an Ansible 2.18-like version record', async () => {
    const { buildMagicVars } = await import('../magic.js');
    const m = buildMagicVars({ host: 'n1', groups: { all: ['n1'] }, groupNames: [], hostvars: () => ({}), playHosts: ['n1'], playBatch: ['n1'], checkMode: false, playbookDir: '/p' } as never);
    expect(r("{{ ansible_version.string is version('2.18.0', '>=') and ansible_version.major == 2 }}", m)).toBe(true);
    expect(m.ansible_version).toEqual({ full: '2.18.0', major: 2, minor: 18, revision: 0, string: '2.18.0' });
  });
});
