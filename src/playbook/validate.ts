/**
 * `lifeboat validate`: load every playbook (and every task file / role an `include_*` names with a fixed
 * path) without connecting anywhere; check each play's static `hosts:` against the inventory and each
 * `notify` against the play's handlers. Returns every problem found (empty: valid).
 */
import { LifeboatError, LifeboatErrors, nearest, type SourceRef } from '../errors.js';
import type { Inventory } from '../inventory/types.js';
import { hostsSources } from './context.js';
import { type LoadOptions, loadRole, loadTasksFile, readPlaybook } from './load.js';
import { checkNotify, walkTasks } from './notify.js';
import { isTemplated } from './source.js';
import type { Play, TaskNode } from './types.js';

export interface ValidateOptions {
  playbooks: string[];
  inventory?: Inventory;
  rolesPath?: string[];
  /**
   * Told of what Ansible only warns about: a play whose `hosts` names no group or host of the inventory (the run
   * skips it with a warning — groups made at run time by `group_by`/`add_host` are that way too).
   */
  onWarning?: (w: LifeboatError) => void;
}

export async function validate(opts: ValidateOptions): Promise<LifeboatError[]> {
  const errors: LifeboatError[] = [];
  for (const file of opts.playbooks) {
    const { playbook, errors: loadErrors } = await readPlaybook(file, opts);
    errors.push(...loadErrors);
    for (const play of playbook.plays) {
      if (opts.inventory) for (const w of checkHosts(play, opts.inventory)) opts.onWarning?.(w);
      const all = [...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers];
      const { tasks, handlers } = await expandIncludes(all, playbook.dir, opts, errors);
      errors.push(...checkNotify(tasks, [...play.handlers, ...handlers]));
    }
  }
  return sortByPlace(errors);
}

/** Without duplicates; by file (in the order files were first seen), then line and column. */
function sortByPlace(errors: LifeboatError[]): LifeboatError[] {
  const seen = new Set<string>();
  const fileOrder = new Map<string, number>();
  const unique = errors.filter((e) => {
    const k = `${e.src?.file}:${e.src?.line}:${e.src?.col}:${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    if (e.src && !fileOrder.has(e.src.file)) fileOrder.set(e.src.file, fileOrder.size);
    return true;
  });
  const rank = (e: LifeboatError): [number, number, number] =>
    e.src ? [fileOrder.get(e.src.file) ?? 0, e.src.line, e.src.col] : [Number.MAX_SAFE_INTEGER, 0, 0];
  return unique
    .map((e, i) => ({ e, i, r: rank(e) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2] || a.i - b.i)
    .map((x) => x.e);
}

/** Every task including those of statically named include files/roles, and the included roles' handlers. */
async function expandIncludes(
  nodes: TaskNode[],
  playbookDir: string,
  opts: LoadOptions,
  errors: LifeboatError[],
  depth = 0,
): Promise<{ tasks: TaskNode[]; handlers: TaskNode[] }> {
  const tasks: TaskNode[] = [];
  const handlers: TaskNode[] = [];
  for (const n of walkTasks(nodes)) {
    tasks.push(n);
    if (n.kind !== 'include' || isTemplated(n.target) || depth > 8) continue;
    let more: TaskNode[] = [];
    try {
      const base = { playbookDir, src: n.src, ...(opts.rolesPath ? { rolesPath: opts.rolesPath } : {}) };
      if (n.what === 'tasks') {
        more = await loadTasksFile(n.target, { ...base, baseDir: n.baseDir, ...(n.role ? { role: n.role } : {}) });
      } else {
        const got = await loadRole(n.target, { ...base, params: n.params, ...(n.from ? { from: n.from } : {}) });
        more = got.tasks;
        handlers.push(...got.handlers);
      }
    } catch (err) {
      if (err instanceof LifeboatErrors) errors.push(...err.errors);
      else throw err;
    }
    const inner = await expandIncludes(more, playbookDir, opts, errors, depth + 1);
    tasks.push(...inner.tasks);
    handlers.push(...inner.handlers);
  }
  return { tasks, handlers };
}

/** Ansible's implicit localhost needs no inventory entry. */
const IMPLICIT = new Set(['all', '*', 'localhost', '127.0.0.1', '::1', 'ungrouped']);

function checkHosts(play: Play, inv: Inventory): LifeboatError[] {
  if (isTemplated(play.hosts)) return [];
  const src: SourceRef = hostsSources.get(play) ?? play.src;
  const known = [...inv.groups.keys(), ...inv.hosts.keys()];
  const out: LifeboatError[] = [];
  for (const raw of play.hosts.split(/[,:]/)) {
    const term = raw.trim().replace(/^[!&]/, '').replace(/\[[-\d:]*\]$/, '');
    if (!term || IMPLICIT.has(term) || /[*?[~@]/.test(term)) continue;
    if (inv.groups.has(term) || inv.hosts.has(term)) continue;
    const near = nearest(term, known);
    out.push(
      new LifeboatError('E_PATTERN', `hosts: \`${term}\` is no group or host of the inventory${near ? ` — did you mean \`${near}\`?` : ''}`, {
        src,
        hint: `the play is skipped unless group_by/add_host makes it at run time; groups: ${[...inv.groups.keys()].join(', ')}`,
      }),
    );
  }
  return out;
}
