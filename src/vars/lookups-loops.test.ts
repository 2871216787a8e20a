import { describe, expect, it } from 'vitest';
import { renderValue } from './index.js';

const where = { src: { file: 'site.yml', line: 1, col: 1 }, host: 'h1', field: 'loop' };

describe('loop lookups (with_nested, with_subelements, with_inventory_hostnames)', () => {
  it('nested: every combination, each a flat list, first list outermost', () => {
    expect(renderValue("{{ query('nested', ['a', 'b'], [1, 2], ['x']) }}", {}, where)).toEqual([
      ['a', 1, 'x'],
      ['a', 2, 'x'],
      ['b', 1, 'x'],
      ['b', 2, 'x'],
    ]);
    // a term that is not a list is a list of one (listify_lookup_plugin_terms)
    expect(renderValue("{{ query('nested', 'a', [1, 2]) }}", {}, where)).toEqual([
      ['a', 1],
      ['a', 2],
    ]);
    expect(() => renderValue("{{ query('nested') }}", {}, where)).toThrow(/at least one element/);
  });

  const users = [
    { name: 'alice', keys: ['k1', 'k2'], db: { hosts: ['%', 'localhost'] } },
    { name: 'bob', keys: ['k3'], db: { hosts: ['db1'] } },
    { name: 'carol' },
  ];

  it('subelements: [record, entry] for each entry; the record loses the sub-key, as in Ansible', () => {
    const got = renderValue("{{ query('subelements', users[:2], 'keys') }}", { users }, where);
    expect(got).toEqual([
      [{ name: 'alice', db: { hosts: ['%', 'localhost'] } }, 'k1'],
      [{ name: 'alice', db: { hosts: ['%', 'localhost'] } }, 'k2'],
      [{ name: 'bob', db: { hosts: ['db1'] } }, 'k3'],
    ]);
    // the variable itself is left as it was
    expect(users[0]).toHaveProperty('keys');
  });

  it('subelements: a dotted sub-key walks nested mappings', () => {
    const got = renderValue("{{ query('subelements', users[:2], 'db.hosts') }}", { users }, where) as unknown[][];
    expect(got.map((p) => [(p[0] as { name: string }).name, p[1]])).toEqual([
      ['alice', '%'],
      ['alice', 'localhost'],
      ['bob', 'db1'],
    ]);
    expect(got[0]?.[0]).toMatchObject({ name: 'alice', db: {} });
    expect(got[0]?.[0]).not.toHaveProperty('db.hosts');
  });

  it('subelements: a missing key is an error naming it, unless skip_missing', () => {
    expect(() => renderValue("{{ query('subelements', users, 'keys') }}", { users }, where)).toThrow(/could not find 'keys' key in iterated item/);
    const got = renderValue("{{ query('subelements', users, 'keys', {'skip_missing': true}) }}", { users }, where) as unknown[];
    expect(got).toHaveLength(3);
    expect(() => renderValue("{{ query('subelements', users, 'keys', {'skip_mising': true}) }}", { users }, where)).toThrow(/flags skip_missing/);
    expect(() => renderValue("{{ query('subelements', users, 'name') }}", { users }, where)).toThrow(/should point to a list/);
    expect(() => renderValue("{{ query('subelements', 'users', 'keys') }}", { users }, where)).toThrow(/first a dict or a list/);
  });

  it('subelements: records marked skipped (a registered loop result) are left out', () => {
    const reg = { results: [{ skipped: true, keys: ['no'] }, { keys: ['yes'] }] };
    expect(renderValue("{{ query('subelements', reg.results, 'keys') }}", { reg }, where)).toEqual([[{}, 'yes']]);
    expect(renderValue("{{ query('subelements', {'skipped': true}, 'keys') }}", {}, where)).toEqual([]);
  });

  it('inventory_hostnames: hosts of a pattern, from the groups variable', () => {
    const groups = { all: ['a', 'b', 'c', 'd'], etcd: ['a', 'b'], kube: ['b', 'c'], ungrouped: ['d'] };
    const q = (p: string) => renderValue(`{{ query('inventory_hostnames', ${p}) }}`, { groups }, where);
    expect(q("'etcd'")).toEqual(['a', 'b']);
    expect(q("'all:!etcd'")).toEqual(['c', 'd']);
    expect(q("'etcd:&kube'")).toEqual(['b']);
    expect(q("'etcd', 'kube'")).toEqual(['a', 'b', 'c']);
    expect(q("'nosuchgroup'")).toEqual([]);
    expect(renderValue("{{ lookup('inventory_hostnames', 'kube') }}", { groups }, where)).toBe('b,c');
  });
});
