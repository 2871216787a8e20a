/** The keywords every task node shares (TaskCommon), and the loop keywords of actions and includes. */
import { defined, toBool, toBoolOrTemplate, toConditions, toTags, toVars } from './coerce.js';
import { isMapping, isTemplated, type Loc, type Problems, srcOf } from './source.js';
import type { ActionTask, RoleRef, TaskCommon } from './types.js';

export function commonFields(t: Record<string, unknown>, loc: Loc, role?: RoleRef): TaskCommon {
  return {
    src: srcOf(loc),
    when: toConditions(t.when),
    tags: toTags(t.tags),
    vars: toVars(t.vars),
    ...defined({
      name: typeof t.name === 'string' ? t.name : undefined,
      become: toBoolOrTemplate(t.become),
      becomeUser: typeof t.become_user === 'string' ? t.become_user : undefined,
      remoteUser: typeof t.remote_user === 'string' ? t.remote_user : undefined,
      environment: isMapping(t.environment) || isTemplated(t.environment) ? (t.environment as Record<string, unknown> | string) : undefined,
      ignoreErrors: toBoolOrTemplate(t.ignore_errors),
      ignoreUnreachable: toBool(t.ignore_unreachable),
      delegateTo: typeof t.delegate_to === 'string' ? t.delegate_to : undefined,
      delegateFacts: toBool(t.delegate_facts),
      connection: typeof t.connection === 'string' ? t.connection : undefined,
      throttle: typeof t.throttle === 'number' || typeof t.throttle === 'string' ? t.throttle : undefined,
      timeout: typeof t.timeout === 'number' || typeof t.timeout === 'string' ? t.timeout : undefined,
      runOnce: toBoolOrTemplate(t.run_once),
      noLog: toBoolOrTemplate(t.no_log),
      checkMode: toBool(t.check_mode),
      anyErrorsFatal: toBoolOrTemplate(t.any_errors_fatal),
      role,
    }),
  };
}

const LOOP_KEYS = ['loop', 'with_items', 'with_list', 'with_dict', 'with_first_found', 'with_fileglob', 'with_flattened', 'with_nested', 'with_subelements', 'with_inventory_hostnames'] as const;

/** with_<lookup>: the loop is `query('<lookup>', terms)`, terms rendered per host (host-task.ts). */
const LOOKUP_LOOPS: Record<string, string> = {
  with_first_found: 'first_found',
  with_fileglob: 'fileglob',
  with_flattened: 'flattened',
  with_nested: 'nested',
  with_subelements: 'subelements',
  with_inventory_hostnames: 'inventory_hostnames',
};

/** A loop that is a lookup over terms (with_first_found, with_fileglob, with_flattened). */
export interface LookupLoop {
  lookup: string;
  terms: unknown;
}

export function isLookupLoop(v: unknown): v is LookupLoop {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as LookupLoop).lookup === 'string' && 'terms' in v && Object.keys(v).length === 2;
}

/** The body of a `{{ expr }}` string, or undefined when the string is not exactly one expression. */
function soleExpression(s: string): string | undefined {
  const m = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(s);
  const body = m?.[1];
  return body !== undefined && !body.includes('{{') && !body.includes('}}') ? body.trim() : undefined;
}

/**
 * `loop` / `with_items` / `with_list` / `with_dict` → one `loop` value. `with_items` flattens one level and
 * `with_dict` gives `{key, value}` items, as in Ansible: done here for literal values, and by the
 * `flatten(levels=1)` / `dict2items` filters for templated ones.
 */
export function loopFields(
  t: Record<string, unknown>,
  loc: Loc,
  problems: Problems,
): Pick<ActionTask, 'loop' | 'loopControl'> {
  const used = LOOP_KEYS.filter((k) => t[k] !== undefined);
  if (used.length > 1) {
    problems.add(
      'E_SCHEMA',
      { y: loc.y, path: [...loc.path, used[1] as string] },
      `a task can have only one loop, and this one has \`${used[0]}\` and \`${used[1]}\``,
      'keep one of them',
      { key: true },
    );
  }
  const key = used[0];
  const lc = isMapping(t.loop_control) ? t.loop_control : undefined;
  if (lc && !key) {
    problems.add('E_SCHEMA', { y: loc.y, path: [...loc.path, 'loop_control'] }, '`loop_control` without a loop', 'add `loop:` or remove `loop_control`', { key: true });
  }
  if (!key) return {};
  const raw = t[key];
  let loop: unknown = raw;
  const lookup = LOOKUP_LOOPS[key];
  if (lookup) loop = { lookup, terms: raw } satisfies LookupLoop;
  else if (typeof raw === 'string' && !isTemplated(raw)) {
    if (key === 'with_items' || key === 'with_list') loop = [raw];
    else {
      problems.add('E_SCHEMA', { y: loc.y, path: [...loc.path, key] }, `\`${key}\` needs ${key === 'loop' ? 'a list' : 'a mapping'} or a template giving one, got the plain string ${JSON.stringify(raw)}`, `write \`${key}: "{{ ${raw} }}"\` to loop over the variable ${raw}`);
    }
  } else if (key === 'with_items') {
    if (Array.isArray(raw)) loop = raw.flatMap((x) => (Array.isArray(x) ? x : [x]));
    else if (typeof raw === 'string') loop = wrap(raw, 'flatten(levels=1)');
  } else if (key === 'with_dict') {
    if (isMapping(raw)) loop = Object.entries(raw).map(([k, value]) => ({ key: k, value }));
    else if (typeof raw === 'string') loop = wrap(raw, 'dict2items');
  }
  const pause = typeof lc?.pause === 'number' ? lc.pause : undefined;
  return {
    loop,
    loopControl: {
      loopVar: typeof lc?.loop_var === 'string' ? lc.loop_var : 'item',
      ...defined({
        label: typeof lc?.label === 'string' ? lc.label : undefined,
        indexVar: typeof lc?.index_var === 'string' ? lc.index_var : undefined,
        pause,
      }),
    },
  };
}

function wrap(s: string, filter: string): string {
  const expr = soleExpression(s);
  return expr !== undefined ? `{{ (${expr}) | ${filter} }}` : s;
}
