import { describe, expect, it } from 'vitest';
import { renderValue } from '../index.js';
import { jmesSearch } from './jmespath.js';

const data = {
  items: [
    { metadata: { name: 'etcd-0', labels: { role: 'etcd' } }, status: { phase: 'Running' }, ports: [2379, 2380] },
    { metadata: { name: 'api-0', labels: { role: 'api' } }, status: { phase: 'Pending' }, ports: [6443] },
  ],
  'odd-key': 1,
};

describe('json_query (JMESPath subset)', () => {
  it('fields, indexes, projections and flattening', () => {
    expect(jmesSearch('items[0].metadata.name', data)).toBe('etcd-0');
    expect(jmesSearch('items[-1].metadata.name', data)).toBe('api-0');
    expect(jmesSearch('items[*].metadata.name', data)).toEqual(['etcd-0', 'api-0']);
    expect(jmesSearch('items[].ports[]', data)).toEqual([2379, 2380, 6443]);
    expect(jmesSearch('items[*].metadata.labels.*', data)).toEqual([['etcd'], ['api']]);
    expect(jmesSearch('"odd-key"', data)).toBe(1);
    expect(jmesSearch('items[*].missing', data)).toEqual([]);
    expect(jmesSearch('nothing.here', data)).toBeNull();
  });
  it('filters with comparisons, && || ! and literals', () => {
    expect(jmesSearch("items[?status.phase=='Running'].metadata.name", data)).toEqual(['etcd-0']);
    expect(jmesSearch("items[?status.phase!='Running' && metadata.labels.role=='api'].metadata.name | [0]", data)).toBe('api-0');
    expect(jmesSearch('items[?ports[0] > `3000`].metadata.name', data)).toEqual(['api-0']);
    expect(jmesSearch("items[?!(metadata.name=='etcd-0')].metadata.name", data)).toEqual(['api-0']);
  });
  it('multiselect lists and hashes, pipes, functions', () => {
    expect(jmesSearch('items[*].{n: metadata.name, p: status.phase}', data)).toEqual([
      { n: 'etcd-0', p: 'Running' },
      { n: 'api-0', p: 'Pending' },
    ]);
    expect(jmesSearch('items[*].[metadata.name, ports[0]]', data)).toEqual([['etcd-0', 2379], ['api-0', 6443]]);
    expect(jmesSearch('length(items)', data)).toBe(2);
    expect(jmesSearch("items[?contains(ports, `2380`)].metadata.name | join(',', @)", data)).toBe('etcd-0');
    expect(jmesSearch("items[?starts_with(metadata.name, 'api')] | length(@)", data)).toBe(1);
  });
  it('is a filter under its short and fully-qualified names', () => {
    expect(renderValue("{{ d | community.general.json_query('items[*].metadata.name') }}", { d: data })).toEqual(['etcd-0', 'api-0']);
    expect(renderValue("{{ d | json_query('items[0].status.phase') }}", { d: data })).toBe('Running');
  });
  it('refuses what it does not know, saying so', () => {
    expect(() => jmesSearch('items[0:1]', data)).toThrow(/JMESPath subset/);
    expect(() => jmesSearch('max_by(items, &x)', data)).toThrow(/json_query/);
  });
});
