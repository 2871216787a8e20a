import { describe, expect, it } from 'vitest';
import { isSecretName, maskSecretVars, MASKED } from './mask.js';

describe('inventory secret masking', () => {
  it('masks passwords and tokens but not the etcd cluster token, an identifier operators must see', () => {
    expect(isSecretName('ansible_become_password')).toBe(true);
    expect(isSecretName('vault_token')).toBe(true);
    expect(isSecretName('etcd_cluster_token')).toBe(false);
    expect(isSecretName('initial_cluster_token')).toBe(false);
    const out = maskSecretVars({ ansible_become_password: 'pw123', etcd_cluster_token: 'etcd-cluster-0', nested: { api_key: 'k' } });
    expect(out).toEqual({ ansible_become_password: MASKED, etcd_cluster_token: 'etcd-cluster-0', nested: { api_key: MASKED } });
  });
});
