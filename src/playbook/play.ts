/**
 * One play: keywords checked (ajv), `vars_files` loaded, `roles:` expanded (dependencies first) ahead of
 * `tasks:`, role handlers joined to the play's handlers.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { yamlPortErrors } from '../inventory/port-check.js';
import type { Vars } from '../inventory/types.js';
import { defined, toBool, toBoolOrTemplate, toTags, toVars } from './coerce.js';
import { hostsSources, type ListCtx, type LoadCtx } from './context.js';
import { checkKeywords } from './keywords.js';
import { applyRoleKeywords, parseRoleEntry } from './role-entry.js';
import { expandRole } from './roles.js';
import { checkPlayVars } from './play-vars.js';
import { PLAY_KEYWORDS } from './schemas.js';
import { at, isMapping, isTemplated, type Loc, type Problems, readYaml, srcOf } from './source.js';
import { loadTaskList } from './task.js';
import type { Play, RoleRef, Serial, TaskNode, VarsPrompt } from './types.js';

/** `ctx` is fresh for this play (its own role de-duplication and import_role sink). */
export async function loadPlay(raw: Record<string, unknown>, loc: Loc, ctx: LoadCtx): Promise<Play> {
  const { problems } = ctx;
  checkKeywords(raw, loc, PLAY_KEYWORDS, 'play', problems, { required: ['hosts'], unknownKeys: true });
  checkPlayVars(raw.vars, at(loc, 'vars'), problems);
  const hosts = Array.isArray(raw.hosts) ? raw.hosts.map(String).join(',') : typeof raw.hosts === 'string' ? raw.hosts : '';
  const lctx = (handler: boolean): ListCtx => ({
    baseDir: ctx.playbookDir,
    handler,
    importStack: [loc.y.file],
    roleStack: [],
  });

  const roles: RoleRef[] = [];
  const roleTasks: TaskNode[] = [];
  const roleHandlers: TaskNode[] = [];
  const entries = Array.isArray(raw.roles) ? raw.roles : [];
  for (let i = 0; i < entries.length; i++) {
    const entry = parseRoleEntry(entries[i], at(loc, 'roles', i), problems);
    if (!entry) continue;
    const got = await expandRole(entry.use, ctx, []);
    if (!got) continue;
    roles.push(...got.roles);
    roleTasks.push(...applyRoleKeywords(got.tasks, entry));
    roleHandlers.push(...got.handlers);
  }

  const preTasks = await loadTaskList(raw.pre_tasks, at(loc, 'pre_tasks'), ctx, lctx(false));
  const tasks = await loadTaskList(raw.tasks, at(loc, 'tasks'), ctx, lctx(false));
  const postTasks = await loadTaskList(raw.post_tasks, at(loc, 'post_tasks'), ctx, lctx(false));
  const handlers = await loadTaskList(raw.handlers, at(loc, 'handlers'), ctx, lctx(true));

  const play: Play = {
    src: srcOf(loc),
    name: typeof raw.name === 'string' ? raw.name : hosts,
    hosts,
    vars: toVars(raw.vars),
    varsFiles: await loadVarsFiles(raw.vars_files, at(loc, 'vars_files'), ctx),
    preTasks,
    tasks: [...roleTasks, ...tasks],
    postTasks,
    handlers: [...roleHandlers, ...ctx.sink.handlers, ...handlers],
    gatherFacts: toBool(raw.gather_facts) ?? false,
    anyErrorsFatal: toBoolOrTemplate(raw.any_errors_fatal) ?? false,
    tags: toTags(raw.tags),
    environment: isMapping(raw.environment) ? raw.environment : typeof raw.environment === 'string' ? raw.environment : {},
    roles: [...roles, ...ctx.sink.roles],
    ...defined({
      serial: toSerial(raw.serial),
      become: toBoolOrTemplate(raw.become),
      runOnce: toBoolOrTemplate(raw.run_once),
      connection: typeof raw.connection === 'string' ? raw.connection : undefined,
      timeout: typeof raw.timeout === 'number' || typeof raw.timeout === 'string' ? raw.timeout : undefined,
      noLog: toBoolOrTemplate(raw.no_log),
      becomeUser: typeof raw.become_user === 'string' ? raw.become_user : undefined,
      remoteUser: typeof raw.remote_user === 'string' ? raw.remote_user : undefined,
      maxFailPercentage: typeof raw.max_fail_percentage === 'number' ? raw.max_fail_percentage : undefined,
      varsPrompt: varsPrompts(raw.vars_prompt, at(loc, 'vars_prompt'), problems),
    }),
  };
  hostsSources.set(play, srcOf(at(loc, 'hosts')));
  return play;
}

function toSerial(v: unknown): Serial | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (typeof x === 'number' ? x : String(x).trim()));
}

/** Static paths are read now (relative to the playbook); templated ones are recorded for the run. */
async function loadVarsFiles(v: unknown, loc: Loc, ctx: LoadCtx): Promise<Play['varsFiles']> {
  if (!Array.isArray(v)) return [];
  const out: Play['varsFiles'] = [];
  for (let i = 0; i < v.length; i++) {
    let p = v[i];
    if (Array.isArray(p)) {
      // Ansible's first-found form: the first of these files that exists
      const paths = p.filter((x): x is string => typeof x === 'string');
      if (paths.some(isTemplated)) {
        out.push({ path: paths[0] ?? '', vars: {}, deferred: true, dir: ctx.playbookDir, firstFound: paths });
        continue;
      }
      const found = paths.find((x) => existsSync(resolve(ctx.playbookDir, x)));
      if (found === undefined) {
        ctx.problems.add('E_PLAYBOOK', at(loc, i), `vars_files: none of these files exists: ${paths.join(', ')}`, `paths are relative to ${ctx.playbookDir}`);
        continue;
      }
      p = found;
    }
    if (typeof p !== 'string') continue;
    if (isTemplated(p)) {
      out.push({ path: p, vars: {}, deferred: true, dir: ctx.playbookDir });
      continue;
    }
    const file = resolve(ctx.playbookDir, p);
    const y = await readYaml(file, ctx.problems, ctx.cache, srcOf(at(loc, i)));
    if (!y) continue;
    if (y.value !== null && !isMapping(y.value)) {
      ctx.problems.add('E_SCHEMA', { y, path: [] }, 'a vars file must be a mapping of variables');
      continue;
    }
    ctx.problems.push(...yamlPortErrors(y, 'E_SCHEMA'));
    out.push({ path: file, vars: (y.value ?? {}) as Vars });
  }
  return out;
}

/** `vars_prompt` entries (shapes checked by the play schema); `encrypt` is refused: Lifeboat has no crypt hashes. */
function varsPrompts(v: unknown, loc: Loc, problems: Problems): VarsPrompt[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: VarsPrompt[] = [];
  v.forEach((e, i) => {
    if (!isMapping(e) || typeof e.name !== 'string') return;
    if (e.encrypt !== undefined) {
      problems.add('E_SCHEMA', at(loc, i, 'encrypt'), '`vars_prompt` `encrypt` is not supported by Lifeboat', `pass the hashed value with -e ${e.name}=…`, { key: true });
      return;
    }
    out.push({
      name: e.name,
      prompt: typeof e.prompt === 'string' ? e.prompt : e.name,
      private: toBool(e.private) ?? true,
      confirm: toBool(e.confirm) ?? false,
      unsafe: toBool(e.unsafe) ?? false,
      ...(e.default !== undefined && e.default !== null ? { default: String(e.default) } : {}),
      src: srcOf(at(loc, i)),
    });
  });
  return out.length ? out : undefined;
}
