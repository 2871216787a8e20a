/**
 * The variables a host's connection is made from (`ansible_host`, `ansible_user`, `ansible_port`, keys,
 * passwords, …), rendered only when the connection opens and only those: the other host variables are
 * rendered where a task uses them, so an inventory or `-e` value that refers to `groups`, `hostvars`,
 * `inventory_dir` or a role's variables never breaks the connection (Ansible renders them lazily too).
 */
import { groupNamesOf, groupsMap, hostInventoryVars, isImplicitLocalhost } from '../inventory/index.js';
import type { Inventory, Vars } from '../inventory/types.js';
import { buildMagicVars, renderValue } from '../vars/index.js';

/** Names `connectionSpecFor` reads: Ansible's `ansible_*` connection variables and Lifeboat's own `lifeboat_*`. */
export function isConnectionVar(name: string): boolean {
  return name.startsWith('ansible_') || name.startsWith('lifeboat_');
}

/**
 * A host's variables for the task that opens its connection: `ctx` (every layer — inventory, play and role
 * vars, facts, magic variables, `-e`) when the executor gives it; otherwise the inventory's and `-e`'s, with
 * the magic variables an inventory can refer to (groups, group_names, hostvars, inventory_hostname,
 * inventory_dir, inventory_file, playbook_dir).
 */
export function connectionContext(inventory: Inventory, extraVars: Vars, host: string, playbookDir: string): Vars {
  const plain = (h: string): Vars => ({
    ...(inventory.hosts.has(h) || isImplicitLocalhost(inventory, h) ? hostInventoryVars(inventory, h) : {}),
    ...extraVars,
  });
  const groups = groupsMap(inventory);
  const withMagic = (h: string): Vars => {
    const file = inventory.hosts.get(h)?.src?.file;
    const magic = buildMagicVars({
      groups,
      hostvars: (o: string) => (inventory.hosts.has(o) || o === h ? withMagic(o) : undefined),
      host: h,
      groupNames: inventory.hosts.has(h) ? groupNamesOf(inventory, h) : [],
      playHosts: [],
      playBatch: [],
      checkMode: false,
      playbookDir,
      ...(file ? { inventoryFile: file } : {}),
    });
    return { ...plain(h), ...magic };
  };
  return withMagic(host);
}

/** Only the connection variables of `ctx`, each rendered in `ctx`. */
export function renderConnectionVars(ctx: Vars, host: string): Vars {
  const picked: Vars = {};
  for (const [k, v] of Object.entries(ctx)) if (isConnectionVar(k) && v !== undefined) picked[k] = v;
  return renderValue(picked, ctx, { host }) as Vars;
}

