import type { Inventory } from '../inventory/types.js';
import type { RunCtx } from './context.js';

/**
 * group_by's effect: the host joins a group made at run time, under its parent groups, in the run's inventory
 * (so `groups`, `group_names` and later plays' `hosts:` see it). Returns whether the host was new to the group.
 */
export function addRunGroup(run: RunCtx, host: string, name: string, parents: string[]): boolean {
  const inv: Inventory = run.opts.inventory;
  const group = (n: string) => {
    let g = inv.groups.get(n);
    if (!g) {
      g = { name: n, hosts: new Set(), children: new Set(), vars: {} };
      inv.groups.set(n, g);
      inv.groups.get('all')?.children.add(n);
    }
    return g;
  };
  const g = group(name);
  for (const p of parents) {
    if (p === name) continue;
    const pg = group(p);
    pg.children.add(name);
    if (p !== 'all') inv.groups.get('all')?.children.delete(name);
  }
  const added = !g.hosts.has(host);
  g.hosts.add(host);
  inv.groups.get('ungrouped')?.hosts.delete(host);
  run.cache.groups = undefined;
  run.cache.groupNames.clear();
  return added;
}

/** The group_by results of one host's task (one, or one per loop item). */
export function groupByResults(result: Record<string, unknown>): Array<{ name: string; parents: string[] }> {
  const items = Array.isArray(result.results) ? (result.results as Record<string, unknown>[]) : [result];
  const out: Array<{ name: string; parents: string[] }> = [];
  for (const r of items) {
    if (r && typeof r.add_group === 'string' && !r.failed && !r.skipped) {
      out.push({ name: r.add_group, parents: Array.isArray(r.parent_groups) ? (r.parent_groups as string[]) : ['all'] });
    }
  }
  return out;
}
