/**
 * Lookups behind Ansible's older loops: `nested` (with_nested: every combination of the lists),
 * `subelements` (with_subelements: each record with each entry of one of its sub-lists) and
 * `inventory_hostnames` (with_inventory_hostnames: the hosts a pattern matches). They run on the
 * controller, as in Ansible; each takes its terms as Ansible's plugin receives them (one term per list).
 */
import { LifeboatError } from '../errors.js';
import { resolvePattern } from '../inventory/index.js';
import type { Inventory } from '../inventory/types.js';
import { isMapping, pyStr } from './python.js';
import type { CallEnv, Kw } from './registry.js';
import { whereOpts } from './undefined.js';

function fail(env: CallEnv | undefined, msg: string, hint?: string): never {
  throw new LifeboatError('E_TEMPLATE', msg, env ? whereOpts(env.state.where, hint) : hint ? { hint } : {});
}

/** Ansible's listify_lookup_plugin_terms: a list stays, anything else is a list of one. */
const listify = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** One level of flattening (Ansible's LookupBase._flatten). */
function flatten1(v: unknown): unknown[] {
  // a single list's string items are iterated by Ansible's _flatten (`'ab'` → ['a', 'b']); kept as written
  if (typeof v === 'string') return [...v];
  if (!Array.isArray(v)) return [v];
  return v.flatMap((t) => (Array.isArray(t) ? t : [t]));
}

/** with_nested / lookup('nested', a, b, …): the product of the lists, each combination a flat list. */
export function nested(terms: unknown[], _kw: Kw = {}, env?: CallEnv): unknown[] {
  if (terms.length === 0) fail(env, 'with_nested requires at least one element in the nested list');
  const lists = terms.map(listify);
  let result: unknown[] = lists[0] as unknown[];
  for (const next of lists.slice(1)) {
    const combined: unknown[] = [];
    for (const x of result) for (const y of next) combined.push(flatten1([x, y]));
    result = combined;
  }
  return result.map(flatten1);
}

const FLAGS = ['skip_missing'];

function truthy(v: unknown): boolean {
  if (typeof v === 'string') return ['yes', 'true', 'on', 'y', '1'].includes(v.trim().toLowerCase());
  return Boolean(v);
}

/**
 * with_subelements / lookup('subelements', records, 'key.path', {skip_missing}): [record, entry] for each entry
 * of each record's sub-list. As in Ansible, the record given as item.0 no longer holds the sub-list's key,
 * records (or a registered result) marked `skipped` are left out, and a missing key is an error unless
 * `skip_missing` is set.
 */
export function subelements(terms: unknown[], _kw: Kw = {}, env?: CallEnv): unknown[] {
  const usage = 'with_subelements takes a list (or mapping) of records, the sub-key (dotted for nested keys), and optionally { skip_missing: true }';
  if (terms.length < 2 || terms.length > 3) fail(env, `subelements lookup expects a list of two or three items, got ${terms.length}`, usage);
  const [records, subkey, flags = {}] = terms;
  if ((!Array.isArray(records) && !isMapping(records)) || typeof subkey !== 'string') {
    fail(env, 'subelements lookup expects a list of two or three items: first a dict or a list, second a string pointing to the subkey', usage);
  }
  if (!isMapping(flags) || Object.keys(flags).some((k) => !FLAGS.includes(k))) {
    fail(env, `subelements lookup: the optional third item must be a dict with flags ${FLAGS.join(', ')}`, usage);
  }
  if (isMapping(records) && records.skipped !== undefined && records.skipped !== false) return [];
  const list = Array.isArray(records) ? records : Object.values(records);
  const skipMissing = truthy(flags.skip_missing);
  const path = subkey.split('.');
  const out: unknown[] = [];
  for (const rec of list) {
    if (!isMapping(rec)) fail(env, `subelements lookup expects a dictionary, got '${pyStr(rec)}'`);
    if (rec.skipped !== undefined && rec.skipped !== false) continue;
    const item0: Record<string, unknown> = { ...rec };
    let cur: Record<string, unknown> = item0;
    let sub: unknown[] = [];
    for (let i = 0; i < path.length; i++) {
      const k = path[i] as string;
      if (!Object.hasOwn(cur, k)) {
        if (skipMissing) break;
        fail(env, `could not find '${k}' key in iterated item '${pyStr(cur)}'`, 'add the key to every record, or pass { skip_missing: true } as the third term');
      }
      const v = cur[k];
      if (i < path.length - 1) {
        if (!isMapping(v)) {
          if (skipMissing) break;
          fail(env, `the key ${k} should point to a dictionary, got '${pyStr(v)}'`);
        }
        const copy = { ...v };
        cur[k] = copy;
        cur = copy;
        continue;
      }
      if (!Array.isArray(v)) fail(env, `the key ${k} should point to a list, got '${pyStr(v)}'`);
      sub = v;
      delete cur[k];
    }
    for (const entry of sub) out.push([item0, entry]);
  }
  return out;
}

/** An inventory made from the `groups` variable, as Ansible's lookup builds one (patterns need no more). */
function inventoryOfGroups(groups: Record<string, unknown>): Inventory {
  const inv: Inventory = { hosts: new Map(), groups: new Map(), order: [], sources: [] };
  const add = (h: string): void => {
    if (inv.hosts.has(h)) return;
    inv.hosts.set(h, { name: h, vars: {} });
    inv.order.push(h);
  };
  for (const h of listify(groups.all)) if (typeof h === 'string') add(h);
  for (const [g, hosts] of Object.entries(groups)) {
    const set = new Set<string>();
    for (const h of listify(hosts)) {
      if (typeof h !== 'string') continue;
      add(h);
      set.add(h);
    }
    inv.groups.set(g, { name: g, hosts: set, children: new Set(), vars: {} });
  }
  return inv;
}

/**
 * with_inventory_hostnames / lookup('inventory_hostnames', pattern, …): the inventory hosts the patterns
 * match (`all:!etcd`, `kube_control_plane[0]`, `&`), from the `groups` variable, as Ansible does. A pattern
 * that names nothing matches nothing.
 */
export function inventoryHostnames(terms: unknown[], _kw: Kw, env: CallEnv): unknown[] {
  const groups = env.state.ctx.groups;
  if (!isMapping(groups)) return [];
  const pattern = terms.flatMap(listify).map(String).join(',');
  if (pattern.trim() === '') return [];
  try {
    return resolvePattern(inventoryOfGroups(groups), pattern, { onUnknown: () => {} });
  } catch {
    // Ansible's lookup answers [] when the pattern cannot be resolved
    return [];
  }
}
