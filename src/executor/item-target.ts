/**
 * Where and how one item of a task runs: `connection: local`, the login user from `remote_user`, and the
 * task's `environment` rendered for the host.
 */
import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { LocalConnection, connectionSpecFor } from '../connection/index.js';
import { CONNECTIONS } from '../playbook/schemas.js';
import { type TaskWhere, renderValue, withDataVars } from '../vars/index.js';
import type { Frame } from './frame.js';

export function isLocal(connection: string | undefined, vars: Vars, where: TaskWhere): boolean {
  if (connection === undefined) return false;
  const c = String(renderValue(connection, vars, { ...where, field: 'connection' }));
  if (c === 'local' || c === 'ansible.builtin.local') return true;
  if (CONNECTIONS.includes(c)) return false;
  throw new LifeboatError('E_TEMPLATE', `connection: ${JSON.stringify(c)} is not supported`, { ...where, hint: `use one of ${CONNECTIONS.join(', ')}` });
}

/** The controller, as this host's connection: become settings and the login user come from the host's vars. */
export function localConnection(host: string, vars: Vars): LocalConnection {
  return new LocalConnection(connectionSpecFor(host, { ...vars, ansible_connection: 'local' }));
}

export function renderEnv(frame: Frame, vars: Vars, where: TaskWhere): Record<string, string> | undefined {
  if (frame.environment.length === 0) return undefined;
  const rendered: Record<string, unknown> = {};
  for (const e of frame.environment) {
    const r = renderValue(e, vars, { ...where, field: 'environment' });
    if (r === null || r === undefined || r === '') continue;
    if (typeof r !== 'object' || Array.isArray(r)) {
      throw new LifeboatError('E_TEMPLATE', `environment: ${JSON.stringify(e)} gave ${Array.isArray(r) ? 'a list' : JSON.stringify(r)}, not a mapping`, {
        ...where,
        hint: 'an environment template must give a mapping of variable names to values',
      });
    }
    Object.assign(rendered, r);
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(rendered)) {
    if (v === undefined || v === null) continue;
    env[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return env;
}

/**
 * `remote_user:` is the login user unless a variable (inventory, play, task, -e) sets `ansible_user` or
 * `ansible_ssh_user`: in Ansible any variable overrides a playbook keyword.
 */
export function withRemoteUser(vars: Vars, user: string | undefined): Vars {
  if (user === undefined || vars.ansible_user !== undefined || vars.ansible_ssh_user !== undefined) return vars;
  return withDataVars(vars, { ansible_user: user });
}
