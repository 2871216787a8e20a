/**
 * Inventory output must not show secrets: a variable whose name ends in pass, passwd, password,
 * passphrase, secret, token or api_key (ansible_become_password, ansible_ssh_pass, vault_token, …) is
 * shown as `********`, at any depth. Names of files holding secrets (…_file, …_path) stay visible.
 */
import type { Vars } from './types.js';

export const MASKED = '********';

const SECRET_NAME = /(pass|passwd|password|passphrase|secret|token|api_?key)$/i;

/**
 * Names that end like a secret but are not one: etcd's cluster token is an identifier that every member's
 * restore command carries in the clear (etcd prints it in its own logs), and operators must see it to check it.
 */
const NOT_SECRET = /(^|_)(cluster_token|initial_cluster_token)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name);
}

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') return maskSecretVars(value as Vars);
  return value;
}

/** A copy of `vars` with secret values replaced (null and empty values are left as they are). */
export function maskSecretVars(vars: Vars): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(vars)) {
    out[k] = isSecretName(k) && v !== null && v !== undefined && v !== '' ? MASKED : mask(v);
  }
  return out;
}
