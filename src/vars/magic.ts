import { dirname } from 'node:path';
import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { OMIT } from './omit.js';
import { renderValue } from './render.js';
import { lazyMap } from './lazy.js';
import { copyDeep, unsafeKeys } from './scope.js';
import type { MagicVarsInput } from './types.js';

/**
 * `host\0var` pairs being rendered through hostvars right now. Rendering is synchronous, so this catches a
 * loop (a's x needs b's y needs a's x) even when every access builds fresh hostvars objects.
 */
const busy = new Set<string>();

/** One host's variables as seen through `hostvars[h]`: each rendered in that host's own context, once. */
function hostView(host: string, vars: Vars): Record<string, unknown> {
  const done = new Map<string, unknown>();
  return lazyMap(
    () => Object.keys(vars).filter((k) => vars[k] !== undefined),
    (k) => Object.hasOwn(vars, k) && vars[k] !== undefined,
    (k) => {
      if (done.has(k)) return done.get(k);
      const id = `${host}\0${k}`;
      if (busy.has(id))
        throw new LifeboatError('E_TEMPLATE', `hostvars['${host}'].${k} refers to itself`, {
          host,
          hint: 'a variable reached through hostvars must not depend on itself',
        });
      busy.add(id);
      try {
        const v = unsafeKeys(vars)?.has(k)
          ? copyDeep(vars[k])
          : renderValue(vars[k], vars, { host, field: `hostvars['${host}'].${k}` });
        done.set(k, v);
        return v;
      } finally {
        busy.delete(id);
      }
    },
  );
}

/** `hostvars`: lazy, `hostvars[h]` is looked up (and rendered) on first access. */
export function makeHostvars(
  hosts: () => string[],
  accessor: (host: string) => Vars | undefined,
): Record<string, unknown> {
  const views = new Map<string, Record<string, unknown> | undefined>();
  const view = (h: string) => {
    if (!views.has(h)) {
      const vars = accessor(h);
      views.set(h, vars ? hostView(h, vars) : undefined);
    }
    return views.get(h);
  };
  let known: Set<string> | undefined;
  const contains = (h: string) => {
    known ??= new Set(hosts());
    // Hosts outside the inventory the accessor knows (e.g. an implicit localhost) are reachable too.
    return known.has(h) || view(h) !== undefined;
  };
  return lazyMap(hosts, contains, view);
}

/**
 * `ansible_version`: the ansible-core release whose language Lifeboat reads, for playbooks that check it
 * (kubespray asserts 2.18 <= version < 2.19). A fresh object per host: templates may change what they read.
 */
export const ANSIBLE_VERSION = { full: '2.18.0', major: 2, minor: 18, revision: 0, string: '2.18.0' } as const;

/** The magic variables of one host (Ansible's names). */
export function buildMagicVars(input: MagicVarsInput): Vars {
  const all = input.groups.all ?? [];
  const out: Vars = {
    inventory_hostname: input.host,
    inventory_hostname_short: input.host.split('.')[0] ?? input.host,
    groups: input.groups,
    group_names: input.groupNames,
    hostvars: makeHostvars(() => all, input.hostvars),
    ansible_play_hosts: input.playHosts,
    ansible_play_hosts_all: input.playHostsAll ?? input.playHosts,
    play_hosts: input.playHosts,
    ansible_play_batch: input.playBatch,
    ansible_check_mode: input.checkMode,
    playbook_dir: input.playbookDir,
    ansible_version: { ...ANSIBLE_VERSION },
    omit: OMIT,
  };
  if (input.rolePath !== undefined) out.role_path = input.rolePath;
  // As Ansible: null for a host not read from a file (a host list, the implicit localhost).
  out.inventory_file = input.inventoryFile ?? null;
  out.inventory_dir = input.inventoryFile === undefined ? null : dirname(input.inventoryFile);
  return out;
}
