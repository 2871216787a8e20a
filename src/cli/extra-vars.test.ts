import { describe, expect, it } from 'vitest';
import { renderValue } from '../vars/index.js';
import { parseExtraVars } from './extra-vars.js';

describe('-e key=value', () => {
  it('keeps a template whole, as Ansible parse_kv does, and leaves it for the place it is used', () => {
    const v = parseExtraVars(['k={{ groups["etcd"] }}', 'j={{ groups["etcd"] | join(",") }} z=2']);
    expect(v).toEqual({ k: '{{ groups["etcd"] }}', j: '{{ groups["etcd"] | join(",") }}', z: '2' });
    const ctx = { ...v, groups: { etcd: ['n1', 'n2'] } };
    expect(renderValue('{{ k }}', ctx)).toEqual(['n1', 'n2']);
    expect(renderValue('{{ j }}', ctx)).toBe('n1,n2');
  });
  it('unquotes values, keeps them strings, and refuses a word without =', () => {
    expect(parseExtraVars(["a=1 b='x y' c=\"q\""])).toEqual({ a: '1', b: 'x y', c: 'q' });
    expect(() => parseExtraVars(['a=1 oops'])).toThrow(/expected key=value.*`oops` is none/);
  });
  it('still takes YAML/JSON mappings', () => {
    expect(parseExtraVars(['{"a": 1, "t": "{{ x }}"}'])).toEqual({ a: 1, t: '{{ x }}' });
  });
});
