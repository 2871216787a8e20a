import { groupNamesOf, groupsMap, hostInventoryVars, isImplicitLocalhost } from '../inventory/index.js';
import type { Vars } from '../inventory/types.js';
import { buildMagicVars, layeredVars } from '../vars/index.js';
import type { PlayCtx, RunCtx } from './context.js';
import type { Frame } from './frame.js';

/**
 * The variables of one host for one task (docs/variables.md precedence via layeredVars). Inventory lookups
 * are cached for the run; the rest is layered per call (cheap: shallow merges of small maps).
 */
export function inventoryVars(run: RunCtx, host: string): Vars {
  let v = run.cache.inventoryVars.get(host);
  if (!v) {
    // the implicit localhost gets the vars of `all` too (as Ansible; hostInventoryVars knows it)
    const inv = run.opts.inventory;
    v = inv.hosts.has(host) || isImplicitLocalhost(inv, host) ? hostInventoryVars(inv, host) : {};
    run.cache.inventoryVars.set(host, v);
  }
  return v;
}

function groupNames(run: RunCtx, host: string): string[] {
  let g = run.cache.groupNames.get(host);
  if (!g) {
    g = run.opts.inventory.hosts.has(host) ? groupNamesOf(run.opts.inventory, host) : [];
    run.cache.groupNames.set(host, g);
  }
  return g;
}

function groups(run: RunCtx): Record<string, string[]> {
  run.cache.groups ??= groupsMap(run.opts.inventory);
  return run.cache.groups;
}

/**
 * Gathered facts as variables, as Ansible does: each fact under the name the module gave it (`ansible_hostname`
 * from setup, `etcd_facts` from etcd_facts), and all of them in `ansible_facts` without the `ansible_` prefix
 * (`ansible_facts.hostname`, `ansible_facts.etcd_facts`).
 */
function factsLayer(run: RunCtx, host: string): Vars | undefined {
  const g = run.state.gathered.get(host);
  if (!g) return undefined;
  const facts: Vars = {};
  const out: Vars = { ansible_facts: facts };
  for (const [k, v] of Object.entries(g)) {
    out[k] = v;
    facts[k.startsWith('ansible_') ? k.slice('ansible_'.length) : k] = v;
  }
  return out;
}

function inventoryFileOf(run: RunCtx, host: string): { inventoryFile?: string } {
  const file = run.opts.inventory.hosts.get(host)?.src?.file;
  return file ? { inventoryFile: file } : {};
}

export interface VarsExtra {
  taskVars?: Vars;
  /** Loop variables, ansible_failed_* in rescue: above every layer. */
  top?: Vars;
}

export function hostVars(pc: PlayCtx, host: string, frame: Frame | undefined, extra: VarsExtra = {}): Vars {
  const { run, play } = pc;
  const own = frame?.role;
  const others = play.roles.filter((r) => r !== own && r.path !== own?.path);
  const roles = own ? [...others, own] : others;
  const magic = buildMagicVars({
    groups: groups(run),
    hostvars: (h: string) => (run.opts.inventory.hosts.has(h) || h === host ? hostVars(pc, h, undefined) : undefined),
    host,
    groupNames: groupNames(run, host),
    playHosts: pc.playHosts.filter((h) => !run.state.isDown(h)),
    playHostsAll: pc.playHosts,
    playBatch: pc.batch.filter((h) => !run.state.isDown(h)),
    checkMode: run.opts.check || frame?.checkMode === true,
    playbookDir: pc.playbook.dir,
    ...(own ? { rolePath: own.path } : {}),
    ...inventoryFileOf(run, host),
  });
  const top = own ? { ...magic, role_name: own.name, ...(extra.top ?? {}) } : { ...magic, ...(extra.top ?? {}) };
  const facts = factsLayer(run, host);
  const registered = run.state.registered.get(host);
  return layeredVars({
    roleDefaults: roles.map((r) => r.defaults),
    inventory: inventoryVars(run, host),
    ...(facts ? { facts } : {}),
    playVars: play.vars,
    varsFiles: pc.varsFilesOf.get(host) ?? play.varsFiles.map((f) => f.vars),
    roleVars: roles.map((r) => r.vars),
    roleParams: own ? [own.params] : [],
    blockVars: frame?.vars ?? [],
    ...(extra.taskVars ? { taskVars: extra.taskVars } : {}),
    includeParams: frame?.params ?? [],
    ...(registered ? { registered } : {}),
    extraVars: run.opts.extraVars,
    magic: top,
  });
}
