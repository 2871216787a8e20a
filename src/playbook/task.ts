/**
 * The task normaliser: one task mapping (Ansible form) → a TaskNode. Decides what the task is (a block, an
 * include/import, or a module call), reports unknown keywords and modules with the nearest valid name,
 * and checks keyword values and module arguments. Every problem is recorded; loading goes on.
 */
import { canonicalModuleName, getModule, moduleNames } from '../modules/registry.js';
import { defined, toCondition, toConditions, toStringList } from './coerce.js';
import { commonFields, loopFields } from './common.js';
import { type ListCtx, type LoadCtx, notifySources } from './context.js';
import { loadBlock, loadInclude } from './include.js';
import { checkKeywords, reportUnsupported } from './keywords.js';
import { checkVarsPorts } from './play-vars.js';
import { moduleArgs } from './module-args.js';
import { ACTION_KEYWORDS, ALL_TASK_KEYWORDS } from './schemas.js';
import { at, isMapping, type Loc, srcOf } from './source.js';
import { checkTaskTemplates } from './templates.js';
import { nearest } from '../errors.js';
import type { ActionTask, TaskNode } from './types.js';
import { BACKGROUND_MODULES } from '../modules/lib/async-job.js';

const INCLUDES = new Set(['include_tasks', 'import_tasks', 'include_role', 'import_role']);

/** A task list (`tasks:`, `block:`, a tasks file). `null` is an empty list. */
export async function loadTaskList(list: unknown, loc: Loc, ctx: LoadCtx, lctx: ListCtx): Promise<TaskNode[]> {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) {
    // Inside a play or block the keyword check has said so already; a task file's top level is ours to report.
    if (loc.path.length === 0) ctx.problems.add('E_SCHEMA', loc, 'a task list must be a YAML list (each task starts with "- ")');
    return [];
  }
  const out: TaskNode[] = [];
  for (let i = 0; i < list.length; i++) out.push(...(await loadTask(list[i], at(loc, i), ctx, lctx)));
  return out;
}

/** One task; an `import_*` may expand to several nodes. */
export async function loadTask(raw: unknown, loc: Loc, ctx: LoadCtx, lctx: ListCtx): Promise<TaskNode[]> {
  if (!isMapping(raw)) {
    ctx.problems.add('E_SCHEMA', loc, 'a task must be a mapping of keywords (name:, a module:, …)');
    return [];
  }
  // Fully-qualified keyword forms (ansible.builtin.include_tasks) as their short names.
  const t: Record<string, unknown> = {};
  const keyOf = new Map<string, string>();
  for (const [k, v] of Object.entries(raw)) {
    const short = INCLUDES.has(canonicalModuleName(k)) ? canonicalModuleName(k) : k;
    t[short] = v;
    keyOf.set(short, k);
  }
  const tloc = { y: loc.y, path: loc.path, keyOf };
  checkVarsPorts(t.vars, keyLoc(tloc, 'vars'), ctx.problems);
  if ('block' in t) return loadBlock(t, tloc, ctx, lctx);
  const inc = Object.keys(t).find((k) => INCLUDES.has(k));
  if (inc) return loadInclude(inc, t, tloc, ctx, lctx);
  const action = loadAction(t, tloc, ctx, lctx);
  return action ? [action] : [];
}

/** A task whose keys may have been shortened: `keyOf` gives the key as written. */
export interface TaskLoc extends Loc {
  keyOf: Map<string, string>;
}

export function keyLoc(loc: TaskLoc, key: string): Loc {
  return at(loc, loc.keyOf.get(key) ?? key);
}

function loadAction(t: Record<string, unknown>, loc: TaskLoc, ctx: LoadCtx, lctx: ListCtx): ActionTask | undefined {
  const { problems } = ctx;
  const unknown = Object.keys(t).filter((k) => !(k in ACTION_KEYWORDS) && !reportUnsupported(k, loc, problems));
  const modules = unknown.filter((k) => getModule(k) !== undefined);
  const others = unknown.filter((k) => getModule(k) === undefined);
  const keywords = ALL_TASK_KEYWORDS;
  for (const k of others) {
    const kw = nearest(k, keywords);
    const mod = modules.length ? undefined : nearest(k, moduleNames());
    const message =
      modules.length || (kw && !mod)
        ? `unknown task keyword \`${k}\`${kw ? ` — did you mean \`${kw}\`?` : ''}`
        : `unknown module \`${k}\`${mod ? ` — did you mean \`${mod}\`?` : ''}`;
    problems.add('E_MODULE', at(loc, k), message, modules.length ? `task keywords: ${Object.keys(ACTION_KEYWORDS).join(', ')}` : 'docs/modules.md lists the modules', { key: true });
  }
  if (modules.length > 1) {
    problems.add(
      'E_MODULE',
      at(loc, modules[1] as string),
      `a task runs one module, and this one has two: \`${modules[0]}\` and \`${modules[1]}\``,
      'split it into two tasks',
      { key: true },
    );
  }
  if (!unknown.length) {
    problems.add('E_MODULE', loc, 'this task names no module', 'add a module, e.g. `command: …`, or make it a `block:`');
  }
  if (t.listen !== undefined && !lctx.handler) {
    problems.add('E_SCHEMA', at(loc, 'listen'), '`listen` is for handlers only', 'move this task under `handlers:`', { key: true });
  }
  checkKeywords(t, loc, ACTION_KEYWORDS, 'task', problems);
  checkTaskTemplates(t, loc, loc.keyOf, problems);
  const moduleKey = modules[0];
  if (moduleKey === undefined) return undefined;
  const def = getModule(moduleKey);
  if (!def) return undefined;
  const args = moduleArgs(def, t, moduleKey, loc, problems);
  if (t.poll === 0 && t.async !== undefined && !BACKGROUND_MODULES.includes(def.name)) {
    problems.add('E_SCHEMA', at(loc, 'poll'), `\`poll: 0\` (a job left running in the background) is not available for \`${def.name}\``, `Lifeboat starts ${BACKGROUND_MODULES.join(', ')} in the background; give poll a number of seconds to run it in the foreground within async`);
  }

  const until = t.until !== undefined ? toCondition(t.until) : undefined;
  const task: ActionTask = {
    kind: 'action',
    ...commonFields(t, loc, lctx.role),
    module: def.name,
    args,
    notify: toStringList(t.notify),
    ...loopFields(t, loc, problems),
    ...defined({
      register: typeof t.register === 'string' ? t.register : undefined,
      until,
      // Ansible's defaults when `until` is set: 3 retries, 5 s apart.
      retries: typeof t.retries === 'number' || typeof t.retries === 'string' ? t.retries : until !== undefined ? 3 : undefined,
      delay: typeof t.delay === 'number' || typeof t.delay === 'string' ? t.delay : until !== undefined ? 5 : undefined,
      async: typeof t.async === 'number' || typeof t.async === 'string' ? t.async : undefined,
      poll: typeof t.poll === 'number' || typeof t.poll === 'string' ? t.poll : undefined,
      failedWhen: t.failed_when !== undefined ? toConditions(t.failed_when) : undefined,
      changedWhen: t.changed_when !== undefined ? toConditions(t.changed_when) : undefined,
      listen: t.listen !== undefined ? toStringList(t.listen) : undefined,
    }),
  };
  if (task.notify.length) {
    const nl = at(loc, 'notify');
    notifySources.set(task, Array.isArray(t.notify) ? task.notify.map((_, i) => srcOf(at(nl, i))) : [srcOf(nl)]);
  }
  return task;
}
