/**
 * ajv errors → positioned, one-line LifeboatErrors. Shared by the play, task-envelope and module-argument
 * checks. Values holding templates are skipped: they are type-checked after rendering, at run time.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { type ErrorCode, LifeboatError, nearest, type SourceRef } from '../errors.js';
import { pointerToPath } from '../yamlpos.js';
import { isTemplated } from './source.js';
import { compileSchema } from '../schema-validators.js';

const compiled = new WeakMap<object, ValidateFunction>();

export function compile(schema: Record<string, unknown>): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = compileSchema(schema);
    compiled.set(schema, v);
  }
  return v;
}

export interface Described {
  message: string;
  hint?: string;
}

export interface ErrorMapping {
  code: ErrorCode;
  /** Position of a data path (relative to the validated value); `key` for "unknown key" errors. */
  position(path: Array<string | number>, key: boolean): SourceRef;
  /** Wording of one error; `path` is relative to the validated value. */
  describe(e: ErrorObject, path: string[]): Described;
  /** Keyword values that must be literal (booleans, counts) are checked even when templated. */
  checkTemplated?: boolean;
}

/** What a JSON-schema fragment accepts, in words ("a string or a list"). */
export function expected(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'a valid value';
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((x) => JSON.stringify(x)).join(', ')}`;
  const alts = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(alts)) return [...new Set(alts.map(expected))].join(' or ');
  const t = s.type;
  const types = Array.isArray(t) ? t : t === undefined ? [] : [t];
  if (!types.length) return 'a valid value';
  return types.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join(' or ');
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true/false)',
  array: 'a list',
  object: 'a mapping',
  null: 'empty',
};

/** Argument names whose values are never shown in messages. */
const SECRET_NAME = /pass|secret|token|key|cred|auth/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** What a value is, for "got …" in messages; `redact` hides the value itself (secrets, no_log tasks). */
export function typeOfData(v: unknown, redact = false): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (redact) return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** "did you mean `x`?" for an unknown name, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const n = nearest(word, candidates);
  return n ? `did you mean \`${n}\`?` : undefined;
}

/** The names an `additionalProperties` error could have meant. */
export function knownProperties(e: ErrorObject): string[] {
  const ps = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return ps ? Object.keys(ps).filter((k) => !k.startsWith('_')) : [];
}

/**
 * Convert ajv errors. Errors on templated values are dropped; when an `anyOf`/`oneOf` fails, only that error
 * is kept (not one per branch).
 */
export function convertAjvErrors(errors: ReadonlyArray<ErrorObject> | null | undefined, map: ErrorMapping): LifeboatError[] {
  const all = errors ?? [];
  const alternatives = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  const out: LifeboatError[] = [];
  const seen = new Set<string>();
  for (const e of all) {
    if (!map.checkTemplated && isTemplated(e.data)) continue;
    if (alternatives.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(`${p}/`))) continue;
    if (e.keyword === 'if') continue;
    const path = pointerToPath(e.instancePath);
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const src: SourceRef =
      e.keyword === 'additionalProperties' ? map.position([...path, String(extra)], true) : map.position(path, false);
    const d = map.describe(e, path);
    const k = `${src.file}:${src.line}:${src.col}:${d.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(new LifeboatError(map.code, d.message, { src, ...(d.hint ? { hint: d.hint } : {}) }));
  }
  return out;
}
