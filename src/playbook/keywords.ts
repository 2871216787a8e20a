/**
 * Keyword checks shared by plays, tasks and role entries: Ansible keywords Lifeboat does not support (with
 * what to do instead), unknown keywords with the nearest valid one, and ajv checks of keyword values.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compile, convertAjvErrors, type Described, didYouMean, expected, knownProperties, typeOfData } from './ajv-errors.js';
import { KEYWORD_WORDS } from './schemas.js';
import { at, type Loc, type Problems, srcOf } from './source.js';

/** Ansible keywords Lifeboat leaves out on purpose, and what to write instead. */
export const UNSUPPORTED: Record<string, string> = {
  action: 'write the module name as the key: `command: ls`',
  local_action: 'write the module as the key and add `delegate_to: localhost`',
  become_method: 'Lifeboat always becomes with sudo',
  become_flags: 'Lifeboat always becomes with sudo',
  become_exe: 'Lifeboat always becomes with sudo',
  port: 'set `ansible_port` in the inventory',
  debugger: 'not available',
  diff: 'plans always show diffs where a module can compute them',
  collections: 'write module names in full (`ansible.builtin.copy`) or short (`copy`)',
  module_defaults: 'give the arguments on each task',
  include: 'use `include_tasks` (dynamic) or `import_tasks` (static)',
  order: 'hosts run in inventory order',
  force_handlers: 'not available',
  gather_subset: 'not available: fact gathering is all or nothing',
  gather_timeout: 'not available',
  fact_path: 'not available',
  with_together: 'use `loop` with the `zip` filter',
  with_sequence: 'use `loop` with `range()`',
  with_indexed_items: 'use `loop` with `loop_control: { index_var: i }`',
  with_random_choice: 'not available',
  with_lines: 'register the output of a command and loop over its `stdout_lines`',
};

/** Record an unsupported keyword; true when `key` was one. */
export function reportUnsupported(key: string, loc: Loc, problems: Problems): boolean {
  const hint = UNSUPPORTED[key];
  if (hint === undefined) return false;
  problems.add('E_SCHEMA', at(loc, key), `\`${key}\` is not supported by Lifeboat`, hint, { key: true });
  return true;
}

const validators = new WeakMap<object, Map<string, ValidateFunction>>();

/** One compiled schema per (properties, required, unknownKeys): ajv compiles are slow, loads are many. */
function keywordValidator(properties: Record<string, unknown>, required: string[], unknownKeys: boolean): ValidateFunction {
  let byOpts = validators.get(properties);
  if (!byOpts) {
    byOpts = new Map();
    validators.set(properties, byOpts);
  }
  const key = `${required.join(',')}|${unknownKeys}`;
  let v = byOpts.get(key);
  if (!v) {
    v = compile({ type: 'object', properties, required, ...(unknownKeys ? { additionalProperties: false } : {}) });
    byOpts.set(key, v);
  }
  return v;
}

/**
 * Check keyword values against `properties` (a schema per keyword). `what` names the thing in messages
 * ("task", "play", "block"). With `unknownKeys`, keys without a schema are reported (nearest name suggested).
 */
export function checkKeywords(
  obj: Record<string, unknown>,
  loc: Loc,
  properties: Record<string, unknown>,
  what: string,
  problems: Problems,
  opts: { required?: string[]; unknownKeys?: boolean; ignore?: string[] } = {},
): void {
  const ignored = new Set(opts.ignore ?? []);
  const v = keywordValidator(properties, opts.required ?? [], opts.unknownKeys ?? false);
  if (v(obj)) return;
  const errors = (v.errors ?? []).filter((e) => {
    if (e.keyword !== 'additionalProperties' || e.instancePath !== '') return true;
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    if (ignored.has(extra)) return false;
    return !reportUnsupported(extra, loc, problems);
  });
  problems.push(
    ...convertAjvErrors(errors, {
      code: 'E_SCHEMA',
      checkTemplated: true,
      position: (path, key) => srcOf(at(loc, ...writtenKey(loc, path)), { key }),
      describe: (e, path) => describeKeywordError(what, e, path),
    }),
  );
}

/** A task's keys may have been shortened (`ansible.builtin.include_role` → `include_role`): use the key as written. */
function writtenKey(loc: Loc, path: Array<string | number>): Array<string | number> {
  const keyOf = (loc as { keyOf?: Map<string, string> }).keyOf;
  const [first, ...rest] = path;
  if (!keyOf || typeof first !== 'string') return path;
  return [keyOf.get(first) ?? first, ...rest];
}

function dotted(path: string[]): string {
  return path.map((p) => (/^\d+$/.test(p) ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

export function describeKeywordError(what: string, e: ErrorObject, path: string[]): Described {
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    const dym = didYouMean(extra, knownProperties(e));
    const where = path.length ? `option \`${extra}\` in \`${dotted(path)}\`` : `${what} keyword \`${extra}\``;
    return {
      message: `unknown ${where}${dym ? ` — ${dym}` : ''}`,
      hint: `valid: ${knownProperties(e).join(', ')}`,
    };
  }
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    return { message: path.length ? `\`${dotted(path)}\` needs \`${missing}\`` : `a ${what} needs \`${missing}\`` };
  }
  const words = path.length === 1 ? KEYWORD_WORDS[path[0] as string] : undefined;
  const must = words ?? (['type', 'enum', 'anyOf', 'oneOf'].includes(e.keyword) ? expected(e.parentSchema) : undefined);
  const name = path.length ? `\`${dotted(path)}\`` : `a ${what}`;
  if (must) return { message: `${name} must be ${must}, got ${typeOfData(e.data)}` };
  return { message: `${name} ${e.message ?? `fails ${e.keyword}`}` };
}
