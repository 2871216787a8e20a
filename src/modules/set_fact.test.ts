import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ModuleContext } from './types.js';
import { setFactModule, setFactSchema } from './set_fact.js';

const ctx = (args: Record<string, unknown>, vars: Record<string, unknown> = {}) =>
  ({ host: 'n1', args, vars, check: false, become: false }) as unknown as ModuleContext<Record<string, unknown>>;
const facts = async (args: Record<string, unknown>, vars: Record<string, unknown> = {}) =>
  (await setFactModule.plan(ctx(args, vars))).result?.ansible_facts;

describe('set_fact', () => {
  it('renders templated keys with the host variables, as Ansible does', async () => {
    expect(await facts({ '{{ item.key }}': 'v' }, { item: { key: 'etcd_port' } })).toEqual({ etcd_port: 'v' });
    expect(await facts({ "dashboard_{{ name | replace('-', '_') }}": 1 }, { name: 'a-b' })).toEqual({ dashboard_a_b: 1 });
  });
  it('refuses a key that is no variable name after rendering', async () => {
    await expect(facts({ '{{ k }}': 1 }, { k: 'bad-name' })).rejects.toMatchObject({
      code: 'E_MODULE',
      message: expect.stringContaining("the variable name 'bad-name' is not valid"),
    });
    await expect(facts({ '9lives': 1 })).rejects.toMatchObject({ code: 'E_MODULE' });
  });
  it('takes cacheable as a keyword, not a fact, and turns yes/no/true/false strings into booleans', async () => {
    expect(await facts({ a: 'yes', b: 'False', c: 'maybe', cacheable: true })).toEqual({ a: true, b: false, c: 'maybe' });
  });
  it('schema: accepts identifiers and templated keys at load time, refuses other names', () => {
    const v = new Ajv({ strict: false }).compile(setFactSchema);
    expect(v({ good_name: 1, cacheable: true })).toBe(true);
    expect(v({ '{{ item.key }}': 1, 'x_{{ n }}_y': 2 })).toBe(true);
    expect(v({ 'bad-name': 1 })).toBe(false);
    expect(v({ cacheable: 'sometimes' })).toBe(false);
  });
});
