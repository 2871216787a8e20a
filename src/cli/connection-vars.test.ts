import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../inventory/index.js';
import { connectionContext, renderConnectionVars } from './connection-vars.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-connvars-'));
const file = join(dir, 'hosts');
writeFileSync(
  file,
  [
    '[etcd]',
    'e1 ip=10.0.0.1',
    'e2 ip=10.0.0.2',
    '[all:vars]',
    // kubeasz's config.yml has values like these: they refer to groups and must not break the connection
    `first_master="{{ groups['etcd'][0] }}"`,
    'key_dir="{{ inventory_dir }}/keys"',
    'ansible_host="{{ ip }}"',
    'ansible_ssh_private_key_file="{{ key_dir }}/id"',
    'ansible_user="{{ role_user }}"',
    '',
  ].join('\n'),
);

describe('connection variables', () => {
  it('renders only the ansible_* variables, in a context with groups, hostvars and inventory_dir', async () => {
    const inv = await loadInventory([file]);
    const ctx = connectionContext(inv, { role_user: 'root', unused: "{{ groups['nope'][0] }}" }, 'e2', dir);
    const vars = renderConnectionVars(ctx, 'e2');
    expect(vars.ansible_host).toBe('10.0.0.2');
    expect(vars.ansible_ssh_private_key_file).toBe(join(dir, 'keys/id'));
    expect(vars.ansible_user).toBe('root');
    // the others are left for the tasks that use them (an undefined group there is not the connection's concern)
    expect(Object.keys(vars).filter((k) => !k.startsWith('ansible_'))).toEqual([]);
  });

  it('renders them in the variables the executor gives (role vars, facts) when it gives them', async () => {
    const inv = await loadInventory([file]);
    const base = connectionContext(inv, {}, 'e1', dir);
    expect(renderConnectionVars({ ...base, role_user: 'from-role' }, 'e1').ansible_user).toBe('from-role');
    expect(() => renderConnectionVars(base, 'e1')).toThrow(/role_user/);
  });
});
