/**
 * Roles: `roles/<name>/{tasks,handlers,defaults,vars,meta}/main.yml` (or `.yaml`; `defaults/main/` and
 * `vars/main/` may be directories of files, as in Ansible). Expanding a role reads
 * its meta dependencies first (a cycle is an error naming the chain), then its defaults, vars, tasks and
 * handlers. Within one play a role with the same parameters is expanded once (Ansible's rule, unless its
 * meta says `allow_duplicates: true`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { yamlPortErrors } from '../inventory/port-check.js';
import type { Vars } from '../inventory/types.js';
import { didYouMean } from './ajv-errors.js';
import { toBool } from './coerce.js';
import type { ExpandedRole, LoadCtx, RoleUse } from './context.js';
import { checkKeywords } from './keywords.js';
import { findRole, knownRoles } from './role-path.js';
import { applyRoleKeywords, parseRoleEntry, type RoleEntry } from './role-entry.js';
import { ROLE_META_SCHEMA } from './schemas.js';
import { at, isMapping, type Loc, readYaml } from './source.js';
import { loadTaskList } from './task.js';
import type { RoleFrom, RoleRef, TaskNode } from './types.js';

/** `dir/main.yml` or `dir/main.yaml` (or `name` with either extension, or as given when it has one). */
export function roleFile(dir: string, name: string): string | undefined {
  const candidates = extname(name) ? [name] : [`${name}.yml`, `${name}.yaml`];
  return candidates.map((c) => join(dir, c)).find((p) => existsSync(p));
}

/** Every file of a vars directory, as Ansible's `_get_dir_vars_files`: sorted by name, recursing into
 * directories without an extension, skipping hidden and `~` files; `.yml`, `.yaml`, `.json` or no extension. */
function dirVarsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = join(dir, name);
    const ext = extname(name);
    const st = statSync(full);
    if (st.isDirectory() && !ext) out.push(...dirVarsFiles(full));
    else if (st.isFile() && ['', '.yml', '.yaml', '.json'].includes(ext)) out.push(full);
  }
  return out;
}

/**
 * The files of a role's `defaults/` or `vars/`, as Ansible finds them: the first of `main.yml`, `main.yaml`,
 * `main.json`, `main` — and when `main` is a directory (kubespray's `defaults/main/*.yml`), every file in it.
 */
export function roleVarsFiles(dir: string): string[] {
  for (const name of ['main.yml', 'main.yaml', 'main.json', 'main']) {
    const p = join(dir, name);
    if (!existsSync(p)) continue;
    return statSync(p).isDirectory() ? dirVarsFiles(p) : [p];
  }
  return [];
}

/** A role's defaults or vars: its files' mappings merged in order, a later file's top-level keys winning. */
async function loadRoleVars(dir: string, ctx: LoadCtx, from?: string): Promise<Vars> {
  const out: Vars = {};
  for (const f of from ? [roleFile(dir, from)] : roleVarsFiles(dir)) Object.assign(out, await loadVarsFile(f, ctx));
  return out;
}

/** A role's vars/defaults file as a mapping (an absent file is {}). */
async function loadVarsFile(file: string | undefined, ctx: LoadCtx): Promise<Vars> {
  if (!file) return {};
  const y = await readYaml(file, ctx.problems, ctx.cache);
  if (!y || y.value === null) return {};
  if (!isMapping(y.value)) {
    ctx.problems.add('E_ROLE', { y, path: [] }, `${basename(dirname(file))}/${basename(file)} must be a mapping of variables`);
    return {};
  }
  ctx.problems.push(...yamlPortErrors(y, 'E_SCHEMA'));
  return y.value;
}

function roleKey(name: string, params: Vars): string {
  return `${name}\u0000${JSON.stringify(params)}`;
}

export async function expandRole(use: RoleUse, ctx: LoadCtx, stack: string[]): Promise<ExpandedRole | undefined> {
  const { problems } = ctx;
  const path = findRole(use.name, ctx.playbookDir, ctx.searchPath, use.parentDir ? [use.parentDir] : []);
  if (!path) {
    const dym = didYouMean(use.name, knownRoles(ctx.searchPath));
    problems.add(
      'E_ROLE',
      use.loc,
      `role \`${use.name}\` not found${dym ? ` — ${dym}` : ''}`,
      `looked in ${[...(use.parentDir ? [use.parentDir] : []), ...ctx.searchPath].join(', ')}; add a directory with --roles-path`,
    );
    return undefined;
  }
  const name = basename(path);
  if (stack.includes(path)) {
    const chain = [...stack.map((p) => basename(p)), name].join(' → ');
    problems.add('E_ROLE', use.loc, `role dependency cycle: ${chain}`, 'remove one of these dependencies in meta/main.yml');
    return undefined;
  }
  const inner = [...stack, path];

  const meta = await loadMeta(path, ctx);
  const key = roleKey(path, use.params) + (use.from ? `\u0000${JSON.stringify(use.from)}` : '');
  const duplicate = ctx.seenRoles.has(key) && !meta.allowDuplicates;
  ctx.seenRoles.add(key);

  const tasks: TaskNode[] = [];
  const handlers: TaskNode[] = [];
  const roles: RoleRef[] = [];
  for (const dep of meta.deps) {
    const got = await expandRole({ ...dep.use, parentDir: dirname(path) }, ctx, inner);
    if (!got) continue;
    tasks.push(...applyRoleKeywords(got.tasks, dep));
    handlers.push(...got.handlers);
    roles.push(...got.roles);
  }

  const role: RoleRef = {
    name,
    path,
    params: use.params,
    defaults: await loadRoleVars(join(path, 'defaults'), ctx, fromFile(use, 'defaults', ctx, path)),
    vars: await loadRoleVars(join(path, 'vars'), ctx, fromFile(use, 'vars', ctx, path)),
  };
  roles.push(role);
  if (duplicate) return { role, tasks, handlers, roles };

  const tasksDir = join(path, 'tasks');
  const lctx = { baseDir: tasksDir, role, handler: false, importStack: [], roleStack: inner };
  const taskFile = roleFile(tasksDir, fromFile(use, 'tasks', ctx, path) ?? 'main');
  if (taskFile) tasks.push(...(await loadListFile(taskFile, ctx, { ...lctx, importStack: [taskFile] })));
  const handlerFile = roleFile(join(path, 'handlers'), fromFile(use, 'handlers', ctx, path) ?? 'main');
  if (handlerFile) {
    handlers.push(
      ...(await loadListFile(handlerFile, ctx, { ...lctx, baseDir: dirname(handlerFile), handler: true, importStack: [handlerFile] })),
    );
  }
  return { role, tasks, handlers, roles };
}

async function loadListFile(file: string, ctx: LoadCtx, lctx: Parameters<typeof loadTaskList>[3]): Promise<TaskNode[]> {
  const y = await readYaml(file, ctx.problems, ctx.cache);
  if (!y) return [];
  return loadTaskList(y.value, { y, path: [] }, ctx, lctx);
}

interface Meta {
  deps: RoleEntry[];
  allowDuplicates: boolean;
}

async function loadMeta(path: string, ctx: LoadCtx): Promise<Meta> {
  const file = roleFile(join(path, 'meta'), 'main');
  if (!file) return { deps: [], allowDuplicates: false };
  const y = await readYaml(file, ctx.problems, ctx.cache);
  if (!y || !isMapping(y.value)) return { deps: [], allowDuplicates: false };
  const loc: Loc = { y, path: [] };
  const before = ctx.problems.count;
  checkKeywords(y.value, loc, ROLE_META_SCHEMA.properties, 'role meta', ctx.problems);
  if (ctx.problems.count > before) return { deps: [], allowDuplicates: false };
  const list = Array.isArray(y.value.dependencies) ? y.value.dependencies : [];
  const deps: RoleEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const entry = parseRoleEntry(list[i], at(loc, 'dependencies', i), ctx.problems);
    if (entry) deps.push(entry);
  }
  return { deps, allowDuplicates: toBool(y.value.allow_duplicates) ?? false };
}

/**
 * The file a `<kind>_from` names (as given), after checking that it exists in the role's `<kind>/`: a missing
 * one is an error at the role's use, as Ansible's "Could not find specified file in role".
 */
function fromFile(use: RoleUse, kind: keyof RoleFrom, ctx: LoadCtx, path: string): string | undefined {
  const name = use.from?.[kind];
  if (name === undefined) return undefined;
  const dir = join(path, kind);
  if (!roleFile(dir, name)) {
    ctx.problems.add('E_ROLE', use.loc, `role \`${use.name}\` has no ${kind} file \`${name}\``, `looked for ${join(dir, name)}.yml`);
  }
  return name;
}
