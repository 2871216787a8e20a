/**
 * Group membership and inventory variables of a host, with Ansible's precedence (lowest first):
 *   1. inventory-file vars of `all`, then of the host's other groups, shallow before deep
 *      (depth = longest path from `all`; same depth: `ansible_group_priority`, then name);
 *   2. group_vars/ files of `all`, then of the other groups, in the same order;
 *   3. the host's inventory-file vars, then its host_vars/ files.
 * Merging is by top-level key (Ansible's default `hash_behaviour = replace`).
 */
import { LifeboatError, nearest } from '../errors.js';
import type { Inventory, InventoryGroup, Vars } from './types.js';

function parentsOf(inv: Inventory): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const g of inv.groups.values()) {
    for (const c of g.children) {
      const list = parents.get(c) ?? [];
      list.push(g.name);
      parents.set(c, list);
    }
  }
  return parents;
}

function depthFn(parents: Map<string, string[]>): (g: string) => number {
  const memo = new Map<string, number>();
  const depth = (g: string, seen: Set<string>): number => {
    if (g === 'all') return 0;
    const known = memo.get(g);
    if (known !== undefined) return known;
    let d = 1;
    for (const p of parents.get(g) ?? []) if (!seen.has(p)) d = Math.max(d, depth(p, new Set([...seen, g])) + 1);
    memo.set(g, d);
    return d;
  };
  return (g) => depth(g, new Set());
}

function priorityOf(g: InventoryGroup | undefined): number {
  const v = (g?.varLayers?.inline ?? g?.vars)?.ansible_group_priority;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : 1;
}

/** Names that mean the controller itself when the inventory does not list them (as Ansible). */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/**
 * Ansible's implicit localhost: a localhost name the inventory does not list still names the controller
 * (`ansible_connection: local`). It is in no group, not even `all`, so `all` never selects it.
 */
export function isImplicitLocalhost(inv: Inventory, host: string): boolean {
  return !inv.hosts.has(host) && LOCALHOST_NAMES.includes(host);
}

function unknownHost(inv: Inventory, host: string): LifeboatError {
  const near = nearest(host, inv.hosts.keys());
  return new LifeboatError('E_INVENTORY', `no host "${host}" in the inventory`, {
    hint: near ? `did you mean "${near}"?` : 'check the host name against `lifeboat inventory --graph`',
  });
}

/** Every group the host is in (directly or through child groups), `all` first, in precedence order. */
export function hostGroupsSorted(inv: Inventory, host: string): string[] {
  if (!inv.hosts.has(host)) throw unknownHost(inv, host);
  const parents = parentsOf(inv);
  const found = new Set<string>(['all']);
  const queue: string[] = [];
  for (const g of inv.groups.values()) if (g.hosts.has(host)) queue.push(g.name);
  while (queue.length) {
    const g = queue.shift() as string;
    if (found.has(g)) continue;
    found.add(g);
    queue.push(...(parents.get(g) ?? []));
  }
  const depth = depthFn(parents);
  const key = (g: string) => [depth(g), priorityOf(inv.groups.get(g))] as const;
  return [...found].sort((a, b) => {
    const [da, pa] = key(a);
    const [db, pb] = key(b);
    return da - db || pa - pb || (a < b ? -1 : a > b ? 1 : 0);
  });
}

/** Merged inventory variables for one host (see the precedence above). */
export function hostInventoryVars(inv: Inventory, host: string): Vars {
  if (isImplicitLocalhost(inv, host)) {
    // as Ansible: the vars of `all`, and a local connection
    const all = inv.groups.get('all');
    return { ...(all?.varLayers?.inline ?? all?.vars), ...all?.varLayers?.files, ansible_connection: 'local' };
  }
  const groups = hostGroupsSorted(inv, host).map((n) => inv.groups.get(n));
  const out: Vars = {};
  for (const g of groups) {
    // as Ansible: a group's ansible_group_priority orders groups and is not itself a host variable
    const { ansible_group_priority: _p, ...inline } = g?.varLayers?.inline ?? g?.vars ?? {};
    Object.assign(out, inline);
  }
  for (const g of groups) Object.assign(out, g?.varLayers?.files);
  const h = inv.hosts.get(host);
  Object.assign(out, h?.varLayers?.inline ?? h?.vars, h?.varLayers?.files);
  return out;
}

/** Ansible's `group_names`: the host's groups, sorted by name, without `all`. */
export function groupNamesOf(inv: Inventory, host: string): string[] {
  if (isImplicitLocalhost(inv, host)) return [];
  return hostGroupsSorted(inv, host)
    .filter((g) => g !== 'all')
    .sort();
}

/**
 * Every host of a group, in Ansible's group order: the hosts listed in the group (in the order they were
 * added), then those of its child groups, level by level, each level in declared order. This is the order
 * of `groups['etcd']` (so `groups['etcd'][0]` is the first host listed under etcd). `all`: every host in
 * the order first declared.
 */
export function hostsOfGroup(inv: Inventory, group: string): string[] {
  if (group === 'all') return [...inv.order];
  const out = new Set<string>();
  const seen = new Set<string>([group]);
  let level = [group];
  while (level.length) {
    const next: string[] = [];
    for (const name of level) {
      const g = inv.groups.get(name);
      if (!g) continue;
      for (const h of g.hosts) out.add(h);
      for (const c of g.children) {
        if (seen.has(c)) continue;
        seen.add(c);
        next.push(c);
      }
    }
    level = next;
  }
  return [...out];
}

/** Ansible's `groups`: every group (with `all` and `ungrouped`) → its hosts, in group order (above). */
export function groupsMap(inv: Inventory): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of inv.groups.keys()) out[name] = hostsOfGroup(inv, name);
  out.all = [...inv.order];
  out.ungrouped ??= [];
  return out;
}
