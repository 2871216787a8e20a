import { LifeboatError, nearest } from '../errors.js';
import { isPlainMapping } from './plain.js';
import type { Where } from './types.js';
import { UnknownValueError, isUnknown } from './unknown.js';

/**
 * Jinja's (strict) Undefined: the value of a name or attribute that does not exist. It may be passed to
 * `default`, `mandatory` and the `defined`/`undefined` tests; any other use throws E_UNDEFINED naming it.
 */
export class Undefined {
  constructor(
    /** The expression as written, e.g. `etcd_nmae` or `result.stdout`. */
    readonly name: string,
    /** Names that exist where the lookup happened, for "did you mean". */
    readonly candidates: readonly string[] = [],
    /** Why, when more than "is undefined" helps (e.g. `'result' has no attribute 'stdout'`). */
    readonly detail?: string,
  ) {}
}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined;
}

export function undefinedError(u: Undefined, where: Where, chain: readonly string[] = []): LifeboatError {
  const last = u.name.split(/[.[]/).pop() ?? u.name;
  const word = last.replace(/['"\]]/g, '');
  const near = nearest(
    word,
    u.candidates.filter((c) => c !== word),
  );
  const parts = [`'${u.name}' is undefined`];
  if (u.detail) parts.push(`: ${u.detail}`);
  if (chain.length) parts.push(` (while rendering variable ${chain.map((c) => `'${c}'`).join(' → ')})`);
  if (where.field) parts.push(` in ${where.field}`);
  const hint = near
    ? `did you mean \`${near}\`?`
    : 'define it (inventory, vars, -e) or guard it with `| default(...)` or `is defined`';
  return new LifeboatError('E_UNDEFINED', parts.join(''), whereOpts(where, hint));
}

export function whereOpts(
  where: Where,
  hint?: string,
): { src?: Where['src']; host?: string; task?: string; hint?: string } {
  return {
    ...(where.src ? { src: where.src } : {}),
    ...(where.host ? { host: where.host } : {}),
    ...(where.task ? { task: where.task } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** Throw if v is Undefined or an unknown (plan-mode) value; return it otherwise. */
export function strict<T>(v: T, where: Where, chain: readonly string[] = []): Exclude<T, Undefined> {
  if (v instanceof Undefined) throw undefinedError(v, where, chain);
  if (isUnknown(v)) throw new UnknownValueError(v.variable, where);
  return v as Exclude<T, Undefined>;
}

/** Like strict, but also looks inside lists and maps (for output and serialisation). */
export function strictDeep(v: unknown, where: Where, chain: readonly string[] = []): unknown {
  strict(v, where, chain);
  if (Array.isArray(v)) for (const x of v) strictDeep(x, where, chain);
  else if (isPlainMapping(v)) for (const x of Object.values(v)) strictDeep(x, where, chain);
  return v;
}
