/**
 * Entry points: a playbook (with `import_playbook`), and — for `include_tasks` / `include_role` at run
 * time — a task file or a role. Every problem of every file is collected; any problem throws
 * LifeboatErrors carrying all of them.
 */
import { basename, dirname, resolve } from 'node:path';
import { type LifeboatError, LifeboatErrors, type SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { canonicalModuleName } from '../modules/registry.js';
import { toConditions, toTags, toVars } from './coerce.js';
import type { ExpandedRole, LoadCtx } from './context.js';
import { checkKeywords } from './keywords.js';
import { loadPlay } from './play.js';
import { roleSearchPath } from './role-path.js';
import { expandRole } from './roles.js';
import { IMPORT_PLAYBOOK_SCHEMA } from './schemas.js';
import { at, type FileCache, isMapping, isTemplated, type Loc, Problems, readYaml, srcOf } from './source.js';
import { loadTaskList } from './task.js';
import type { BlockTask, Play, Playbook, RoleFrom, RoleRef, TaskNode } from './types.js';

export interface LoadOptions {
  /** Extra role directories (`--roles-path`, colon-separated entries allowed). */
  rolesPath?: string[];
}

function newCtx(problems: Problems, cache: FileCache, playbookDir: string, rolesPath?: string[]): LoadCtx {
  return {
    problems,
    cache,
    playbookDir,
    searchPath: roleSearchPath(playbookDir, rolesPath),
    sink: { roles: [], handlers: [] },
    seenRoles: new Set(),
  };
}

/** Load plays of `file` into `plays`; `stack` holds the playbooks importing this one (cycle check). */
const PLAY_MARKERS = ['hosts', 'tasks', 'roles', 'pre_tasks', 'post_tasks', 'handlers', 'import_playbook', 'ansible.builtin.import_playbook'];

/** A file of tasks given where a playbook is expected: mappings, none of which has a key only a play (or import_playbook) has. */
function looksLikeTaskList(items: unknown[]): boolean {
  return items.length > 0 && items.every((it) => isMapping(it) && !PLAY_MARKERS.some((k) => k in it));
}

async function loadPlays(file: string, opts: LoadOptions, problems: Problems, cache: FileCache, stack: string[], plays: Play[], from?: Loc): Promise<void> {
  const y = await readYaml(file, problems, cache, from ? srcOf(from) : undefined);
  if (!y) return;
  const top: Loc = { y, path: [] };
  if (y.value === null || (Array.isArray(y.value) && y.value.length === 0)) {
    // As ansible-playbook ("Empty playbook, nothing to do"): a run that does nothing and exits 0 hides a wrong file.
    problems.add('E_PLAYBOOK', top, 'the playbook is empty: it has no plays', 'add a play (`- hosts: …` with tasks or roles), or give the right file');
    return;
  }
  if (!Array.isArray(y.value)) {
    problems.add('E_PLAYBOOK', top, 'a playbook must be a YAML list of plays (each starts with "- hosts: …")');
    return;
  }
  if (looksLikeTaskList(y.value)) {
    problems.add(
      'E_PLAYBOOK',
      top,
      'this is a list of tasks, not a playbook: no entry has `hosts` (or tasks, roles, import_playbook)',
      `run it from a play (\`- hosts: …\` with \`tasks: [{ import_tasks: ${basename(file)} }]\`), and keep task files out of playbook globs (e.g. under tasks/)`,
    );
    return;
  }
  const dir = dirname(file);
  for (let i = 0; i < y.value.length; i++) {
    const raw: unknown = y.value[i];
    const loc = at(top, i);
    if (!isMapping(raw)) {
      problems.add('E_PLAYBOOK', loc, 'a play must be a mapping (hosts:, tasks:, …)');
      continue;
    }
    const importKey = Object.keys(raw).find((k) => canonicalModuleName(k) === 'import_playbook');
    if (importKey === undefined) {
      plays.push(await loadPlay(raw, loc, newCtx(problems, cache, dir, opts.rolesPath)));
      continue;
    }
    const entry = importKey === 'import_playbook' ? raw : { ...raw, import_playbook: raw[importKey] };
    if (importKey !== 'import_playbook') delete entry[importKey];
    const before = problems.count;
    checkKeywords(entry, loc, IMPORT_PLAYBOOK_SCHEMA.properties as Record<string, unknown>, 'import_playbook', problems, {
      unknownKeys: true,
    });
    const target = entry.import_playbook;
    if (problems.count > before || typeof target !== 'string') continue;
    const tloc = at(loc, importKey);
    if (isTemplated(target)) {
      problems.add('E_PLAYBOOK', tloc, '`import_playbook` needs a fixed path, not a template');
      continue;
    }
    const child = resolve(dir, target);
    if (stack.includes(child) || child === file) {
      problems.add('E_PLAYBOOK', tloc, `import_playbook cycle: ${[...stack, file, child].join(' → ')}`);
      continue;
    }
    const imported: Play[] = [];
    await loadPlays(child, opts, problems, cache, [...stack, file], imported, tloc);
    const tags = toTags(entry.tags);
    const vars = toVars(entry.vars);
    const when = toConditions(entry.when);
    const src = srcOf(at(loc, 'when'));
    for (const p of imported) {
      const guarded = when.length ? guardPlay(p, when, src) : p;
      plays.push({ ...guarded, tags: [...tags, ...p.tags], vars: { ...vars, ...p.vars } });
    }
  }
}

/**
 * `import_playbook` with `when`: as Ansible, the condition is added to every task of the imported plays
 * (pre_tasks, roles, tasks, post_tasks; evaluated per host and task), not decided once.
 */
function guardPlay(p: Play, when: string[], src: SourceRef): Play {
  const guard = (nodes: TaskNode[]): TaskNode[] => {
    if (nodes.length === 0) return nodes;
    const block: BlockTask = { kind: 'block', src, when, tags: [], vars: {}, block: nodes, rescue: [], always: [] };
    return [block];
  };
  return { ...p, preTasks: guard(p.preTasks), tasks: guard(p.tasks), postTasks: guard(p.postTasks) };
}

/** Load without throwing: the playbook (as far as it could be read) and every problem found. */
export async function readPlaybook(file: string, opts: LoadOptions = {}): Promise<{ playbook: Playbook; errors: LifeboatError[] }> {
  const abs = resolve(file);
  const problems = new Problems();
  const plays: Play[] = [];
  const cache: FileCache = new Map();
  await loadPlays(abs, opts, problems, cache, [], plays);
  const files: string[] = [];
  for (const [f, p] of cache) if (await p) files.push(f);
  return { playbook: { file: abs, dir: dirname(abs), plays, files: files.sort() }, errors: problems.list };
}

export async function loadPlaybook(file: string, opts: LoadOptions = {}): Promise<Playbook> {
  const { playbook, errors } = await readPlaybook(file, opts);
  if (errors.length) throw new LifeboatErrors(errors);
  return playbook;
}

export interface RunTimeLoadOptions extends LoadOptions {
  /** The playbook's directory (roles are looked for under `<dir>/roles`). */
  playbookDir: string;
  /** The role the including task belongs to (its tasks carry it). */
  role?: RoleRef;
}

/** `include_tasks` at run time: the file (relative to `baseDir`, e.g. IncludeTask.baseDir). */
export async function loadTasksFile(
  file: string,
  opts: RunTimeLoadOptions & { baseDir?: string; src?: SourceRef },
): Promise<TaskNode[]> {
  const abs = resolve(opts.baseDir ?? opts.playbookDir, file);
  const problems = new Problems();
  const ctx = newCtx(problems, new Map(), opts.playbookDir, opts.rolesPath);
  const y = await readYaml(abs, problems, ctx.cache, opts.src);
  const tasks = y
    ? await loadTaskList(y.value, { y, path: [] }, ctx, {
        baseDir: dirname(abs),
        handler: false,
        importStack: [abs],
        roleStack: [],
        ...(opts.role ? { role: opts.role } : {}),
      })
    : [];
  if (problems.count) throw new LifeboatErrors(problems.list);
  return tasks;
}

/**
 * `include_role` at run time. The result has the role's tasks (dependencies' first), its handlers (to add
 * to the play's) and the roles now in use (this one last).
 */
export async function loadRole(
  name: string,
  opts: RunTimeLoadOptions & { from?: RoleFrom; params?: Vars; src?: SourceRef },
): Promise<ExpandedRole> {
  const problems = new Problems();
  const ctx = newCtx(problems, new Map(), opts.playbookDir, opts.rolesPath);
  const loc = opts.src ?? { file: opts.playbookDir, line: 1, col: 1 };
  const use = { name, params: opts.params ?? {}, loc, ...(opts.from ? { from: opts.from } : {}) };
  const got = await expandRole(use, ctx, []);
  if (problems.count || !got) throw new LifeboatErrors(problems.list);
  return got;
}

/**
 * A `vars_files` entry whose path was a template (Play.varsFiles[i].deferred): once rendered for a host,
 * read it (relative to the entry's `dir`). Throws LifeboatErrors (a missing file, bad YAML, not a mapping).
 */
export async function loadVarsFile(path: string, dir: string, src?: SourceRef): Promise<Vars> {
  const problems = new Problems();
  const y = await readYaml(resolve(dir, path), problems, new Map(), src);
  if (y && y.value !== null && !isMapping(y.value)) {
    problems.add('E_SCHEMA', { y, path: [] }, 'a vars file must be a mapping of variables');
  }
  if (problems.count || !y) throw new LifeboatErrors(problems.list);
  return (y.value ?? {}) as Vars;
}
