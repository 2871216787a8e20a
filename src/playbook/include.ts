/**
 * Blocks, and task-file / role inclusion. `import_tasks` / `import_role` are static: the file or role is
 * read now and its tasks take the import's place (inside a block carrying the import's keywords, so
 * `when`, `tags`, `become`… apply to each of them, as in Ansible). `include_tasks` / `include_role` are
 * dynamic: they become an IncludeTask, loaded at run time with loadTasksFile / loadRole.
 */
import { dirname, resolve } from 'node:path';
import { toStringList, toVars } from './coerce.js';
import { commonFields, loopFields } from './common.js';
import { type ListCtx, type LoadCtx, notifySources } from './context.js';
import { checkKeywords } from './keywords.js';
import { expandRole } from './roles.js';
import {
  BLOCK_KEYWORDS,
  COMMON_KEYWORDS,
  IMPORT_ROLE_KEYWORDS,
  IMPORT_TASKS_KEYWORDS,
  INCLUDE_ROLE_KEYWORDS,
  INCLUDE_TASKS_KEYWORDS,
} from './schemas.js';
import { at, isMapping, isTemplated, type Loc, readYaml, srcOf } from './source.js';
import { keyLoc, loadTaskList, type TaskLoc } from './task.js';
import type { BlockTask, IncludeTask, RoleFrom, TaskCommon, TaskNode } from './types.js';

export async function loadBlock(t: Record<string, unknown>, loc: TaskLoc, ctx: LoadCtx, lctx: ListCtx): Promise<TaskNode[]> {
  checkKeywords(t, loc, BLOCK_KEYWORDS, 'block', ctx.problems, { unknownKeys: true });
  const node: BlockTask = {
    kind: 'block',
    ...commonFields(t, loc, lctx.role),
    block: await loadTaskList(t.block, at(loc, 'block'), ctx, lctx),
    rescue: await loadTaskList(t.rescue, at(loc, 'rescue'), ctx, lctx),
    always: await loadTaskList(t.always, at(loc, 'always'), ctx, lctx),
  };
  if (t.notify !== undefined) inheritNotify(node, t.notify, at(loc, 'notify'));
  return [node];
}

/**
 * `notify` on a block: each task inside that has no `notify` of its own notifies the block's handlers when it
 * changes (Ansible's inheritance of the keyword; a task's own `notify` replaces it). Tasks included at run time
 * (include_tasks) do not inherit it.
 */
function inheritNotify(block: BlockTask, raw: unknown, nl: Loc): void {
  const names = toStringList(raw);
  const srcs = Array.isArray(raw) ? names.map((_, i) => srcOf(at(nl, i))) : [srcOf(nl)];
  const visit = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'block') visit([...n.block, ...n.rescue, ...n.always]);
      else if (n.kind === 'action' && !n.notify.length) {
        n.notify = [...names];
        notifySources.set(n, srcs);
      }
    }
  };
  visit([...block.block, ...block.rescue, ...block.always]);
}

const LOOP_KEYS = ['loop', 'with_items', 'with_list', 'with_dict', 'loop_control'];

const SCHEMAS: Record<string, Record<string, unknown>> = {
  include_tasks: INCLUDE_TASKS_KEYWORDS,
  import_tasks: IMPORT_TASKS_KEYWORDS,
  include_role: INCLUDE_ROLE_KEYWORDS,
  import_role: IMPORT_ROLE_KEYWORDS,
};

export async function loadInclude(
  kind: string,
  t: Record<string, unknown>,
  loc: TaskLoc,
  ctx: LoadCtx,
  lctx: ListCtx,
): Promise<TaskNode[]> {
  const schema = SCHEMAS[kind] ?? {};
  const before = ctx.problems.count;
  const loops = kind.startsWith('import_') ? LOOP_KEYS.filter((k) => k in t) : [];
  for (const k of loops) {
    const dynamic = kind.replace('import', 'include');
    ctx.problems.add('E_SCHEMA', at(loc, k), `\`${kind}\` is static and cannot loop`, `use \`${dynamic}\` to loop`, { key: true });
  }
  checkKeywords(t, loc, schema, kind, ctx.problems, { unknownKeys: true, ignore: loops });
  const spec = t[kind];
  const target = typeof spec === 'string' ? spec : isMapping(spec) ? spec.file ?? spec.name : undefined;
  const from = isMapping(spec) ? roleFrom(spec) : undefined;
  if (typeof target !== 'string' || ctx.problems.count > before) return [];
  const common = commonFields(t, loc, lctx.role);

  if (kind === 'include_tasks' || kind === 'include_role') {
    const apply = applyFields(spec, keyLoc(loc, kind), ctx);
    if (ctx.problems.count > before) return [];
    const node: IncludeTask = {
      kind: 'include',
      ...common,
      what: kind === 'include_tasks' ? 'tasks' : 'role',
      target,
      baseDir: lctx.baseDir,
      // For include_role, `vars:` are the role's parameters.
      params: kind === 'include_role' ? toVars(t.vars) : {},
      ...(from ? { from } : {}),
      ...(apply ? { apply } : {}),
      ...(typeof t.register === 'string' ? { register: t.register } : {}),
      ...loopFields(t, loc, ctx.problems),
    };
    return [node];
  }

  const targetLoc = keyLoc(loc, kind);
  if (isTemplated(target)) {
    ctx.problems.add('E_PLAYBOOK', targetLoc, `\`${kind}\` is static and needs a fixed name, not a template`, `use \`${kind.replace('import', 'include')}\` to choose it at run time`);
    return [];
  }
  if (kind === 'import_tasks') {
    const file = resolve(lctx.baseDir, target);
    if (lctx.importStack.includes(file)) {
      ctx.problems.add('E_PLAYBOOK', targetLoc, `import cycle: ${[...lctx.importStack, file].join(' → ')}`, 'a task file cannot import itself');
      return [];
    }
    const y = await readYaml(file, ctx.problems, ctx.cache, srcOf(targetLoc));
    if (!y) return [];
    const tasks = await loadTaskList(y.value, { y, path: [] }, ctx, {
      ...lctx,
      baseDir: dirname(file),
      importStack: [...lctx.importStack, file],
    });
    return wrap(common, tasks, t);
  }
  const expanded = await expandRole(
    { name: target, params: toVars(t.vars), loc: targetLoc, ...(from ? { from } : {}) },
    ctx,
    lctx.roleStack,
  );
  if (!expanded) return [];
  ctx.sink.roles.push(...expanded.roles);
  ctx.sink.handlers.push(...expanded.handlers);
  return wrap(common, expanded.tasks, t);
}

/** The `*_from` fields of a role target (undefined when it has none). */
function roleFrom(spec: Record<string, unknown>): RoleFrom | undefined {
  const out: RoleFrom = {};
  for (const k of ['tasks', 'vars', 'defaults', 'handlers'] as const) {
    const v = spec[`${k}_from`];
    if (typeof v === 'string') out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Imported tasks in a block carrying the import's keywords (or as they are when it has none). */
function wrap(common: TaskCommon, tasks: TaskNode[], t: Record<string, unknown>): TaskNode[] {
  const keywords = Object.keys(t).filter((k) => k !== 'name' && !k.startsWith('import_'));
  if (!keywords.length) return tasks;
  return [{ kind: 'block', ...common, block: tasks, rescue: [], always: [] }];
}

/** `apply:` of an include_tasks / include_role: block keywords (no `name`), each applied to the included tasks. */
function applyFields(spec: unknown, specLoc: Loc, ctx: LoadCtx): TaskCommon | undefined {
  if (!isMapping(spec) || !isMapping(spec.apply)) return undefined;
  const loc = at(specLoc, 'apply');
  const { name: _n, ...keywords } = COMMON_KEYWORDS;
  checkKeywords(spec.apply, loc, keywords, 'apply', ctx.problems, { unknownKeys: true });
  return commonFields(spec.apply, loc);
}
