/**
 * What `lifeboat inventory` prints, shaped like ansible-inventory's output:
 *   --graph  a text tree (`@all:` / `  |--@etcd:` / `  |  |--node1`), groups and hosts in the order
 *            they were added (as ansible-inventory does); with `vars`, each host's merged and each group's
 *            own variables as `{name = value}` (values printed as Python prints them, as ansible-inventory);
 *   --list   `{ _meta: { hostvars }, all: { children }, group: { hosts, children, vars? } }`, empty keys
 *            and empty groups left out; hostvars are every host's merged inventory variables, group
 *            vars are not shown — unless `export` (ansible-inventory --export): then groups carry their
 *            own vars and hostvars only each host's own;
 *   --host   one host's merged inventory variables.
 * Secret values (passwords, passphrases, tokens: see mask.ts) are shown as `********` in every view.
 */
import { LifeboatError, nearest } from '../errors.js';
import { maskSecretVars } from './mask.js';
import type { Inventory, Vars } from './types.js';
import { hostInventoryVars } from './vars.js';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function line(text: string, depth: number): string {
  return depth ? `${'  |'.repeat(depth)}--${text}` : text;
}

/** Python's repr() of a plain value (how ansible-inventory prints values inside lists and dicts). */
function pyRepr(v: unknown): string {
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .replace(new RegExp(q, 'g'), `\\${q}`);
    return `${q}${body}${q}`;
  }
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Vars)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

/** Python's str(): a string as it is, anything else as repr(). */
function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

function varLines(all: Vars, depth: number): string[] {
  const vars = maskSecretVars(all);
  return Object.keys(vars)
    .sort(byName)
    .map((k) => line(`{${k} = ${pyStr(vars[k])}}`, depth));
}

export function inventoryGraph(inv: Inventory, opts: { group?: string | undefined; vars?: boolean } = {}): string {
  const start = opts.group ?? 'all';
  if (!inv.groups.has(start)) {
    const near = nearest(start, inv.groups.keys());
    throw new LifeboatError('E_PATTERN', `no group "${start}" in the inventory`, {
      hint: near ? `did you mean "${near}"?` : `groups: ${[...inv.groups.keys()].sort(byName).join(', ')}`,
    });
  }
  const out: string[] = [];
  const walk = (name: string, depth: number, path: Set<string>) => {
    const g = inv.groups.get(name);
    if (!g) return;
    out.push(line(`@${name}:`, depth));
    for (const c of g.children) if (!path.has(c)) walk(c, depth + 1, new Set([...path, c]));
    if (name !== 'all') {
      for (const h of g.hosts) {
        out.push(line(h, depth + 1));
        if (opts.vars) out.push(...varLines(hostInventoryVars(inv, h), depth + 2));
      }
    }
    if (opts.vars) out.push(...varLines(g.vars, depth + 1));
  };
  walk(start, 0, new Set([start]));
  return `${out.join('\n')}\n`;
}

export interface ListedGroup {
  hosts?: string[];
  children?: string[];
  vars?: Vars;
}

export type InventoryListing = { _meta: { hostvars: Record<string, Vars> } } & Record<string, ListedGroup>;

export function inventoryList(inv: Inventory, opts: { export?: boolean } = {}): InventoryListing {
  const hostvars: Record<string, Vars> = {};
  for (const h of inv.order) {
    const vars = opts.export ? (inv.hosts.get(h)?.vars ?? {}) : hostInventoryVars(inv, h);
    if (Object.keys(vars).length) hostvars[h] = maskSecretVars(vars);
  }
  const out = { _meta: { hostvars } } as InventoryListing;
  const names = [...inv.groups.keys()].filter((n) => n !== 'all').sort(byName);
  for (const name of ['all', ...names]) {
    const g = inv.groups.get(name);
    if (!g) continue;
    const entry: ListedGroup = {};
    const hosts = name === 'all' ? [] : [...g.hosts];
    const children = [...g.children];
    if (hosts.length) entry.hosts = hosts;
    if (children.length) entry.children = children;
    if (opts.export && Object.keys(g.vars).length) entry.vars = maskSecretVars(g.vars);
    if (Object.keys(entry).length) out[name] = entry;
  }
  return out;
}

/** One host's merged inventory variables (`ansible-inventory --host NAME`). */
export function inventoryHost(inv: Inventory, name: string): Vars {
  return maskSecretVars(hostInventoryVars(inv, name));
}
