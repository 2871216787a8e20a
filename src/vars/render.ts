import type { Vars } from '../inventory/types.js';
import { LifeboatError } from '../errors.js';
import { toBool } from './filters/core.js';
import { OMIT } from './omit.js';
import { pyStr, truthy } from './python.js';
import { Scope, type State, hasTemplate, isPlainMapping } from './scope.js';
import { unknownLookup } from './names.js';
import { parseTemplate } from './parse.js';
import { compileTemplate } from './template.js';
import type { RenderOptions, Where } from './types.js';
import { strictDeep, whereOpts } from './undefined.js';
import { UnknownValueError } from './unknown.js';

/** The public rendering entry points (see docs/variables.md). */

const located = new WeakSet<Error>();

function short(src: string): string {
  const one = src.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

/** Give an error the place it happened: where (file, host, task, field), the template, the variable chain. */
function locate(e: unknown, state: State, src: string): unknown {
  if (typeof e === 'symbol')
    e = new LifeboatError('E_TEMPLATE', `{% ${e.description ?? 'break'} %} outside a for loop`);
  if (!(e instanceof Error) || located.has(e) || e instanceof UnknownValueError) return e;
  let out: LifeboatError;
  if (e instanceof LifeboatError && (e.src || e.host || e.task || e.code === 'E_UNDEFINED')) out = e;
  else {
    const code = e instanceof LifeboatError ? e.code : 'E_TEMPLATE';
    const chain = state.chain.length ? ` (while rendering variable '${state.chain[state.chain.length - 1]}')` : '';
    const field = state.where.field ? ` in ${state.where.field}` : '';
    const hint = e instanceof LifeboatError ? e.hint : undefined;
    out = new LifeboatError(code, `${e.message} — in template "${short(src)}"${chain}${field}`, {
      ...whereOpts(state.where, hint),
      cause: e,
    });
  }
  located.add(out);
  return out;
}

function trailingNewlines(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\n'; i--) n++;
  return n;
}

/** Ansible's preserve_trailing_newlines: the output ends with as many newlines as the template. */
function keepTrailingNewlines(src: string, res: string): string {
  const missing = trailingNewlines(src) - trailingNewlines(res);
  return missing > 0 ? res + '\n'.repeat(missing) : res;
}

function evalTemplate(src: string, state: State, native: boolean): unknown {
  try {
    const t = compileTemplate(src, {
      trimBlocks: state.opts.trimBlocks ?? true,
      lstripBlocks: state.opts.lstripBlocks ?? false,
    });
    const scope = new Scope(state);
    if (native && t.native) return strictDeep(t.native(scope), state.where, state.chain);
    const out: string[] = [];
    t.body(scope, out);
    return keepTrailingNewlines(src, out.join(''));
  } catch (e) {
    throw locate(e, state, src);
  }
}

function renderDeep(v: unknown, state: State): unknown {
  if (typeof v === 'string') return hasTemplate(v) ? evalTemplate(v, state, true) : v;
  if (Array.isArray(v)) return v.map((x) => renderDeep(x, state));
  if (isPlainMapping(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = renderDeep(x, state);
      if (r !== OMIT) out[k] = r;
    }
    return out;
  }
  return v;
}

function newState(ctx: Vars, where: Where, opts: RenderOptions): State {
  return { ctx, where, chain: [], opts, renderRaw: renderDeep };
}

/**
 * Render every string in a structure. A string that is exactly one `{{ expr }}` keeps the expression's
 * native type; map entries whose value renders to `omit` are dropped.
 */
export function renderValue(value: unknown, ctx: Vars, where: Where = {}): unknown {
  return renderDeep(value, newState(ctx, where, {}));
}

/** Render a template to text (the `template` module; `searchPath` enables `{% include %}`). */
export function renderString(src: string, ctx: Vars, where: Where = {}, opts: RenderOptions = {}): string {
  return String(evalTemplate(src, newState(ctx, where, opts), false));
}

function hasMarkers(s: string): boolean {
  return s.includes('{{') || s.includes('{%');
}

/** Evaluate a bare Jinja expression (`when:`, `that:`, `until:`). */
export function evalExpression(expr: unknown, ctx: Vars, where: Where = {}): unknown {
  if (typeof expr !== 'string') return renderValue(expr, ctx, where);
  const state = newState(ctx, where, {});
  if (hasMarkers(expr)) return evalTemplate(expr, state, true);
  if (!expr.trim())
    throw new LifeboatError(
      'E_TEMPLATE',
      'empty expression',
      whereOpts(where, 'write a Jinja expression, e.g. `result.rc == 0`'),
    );
  return evalTemplate(`{{ ${expr} }}`, state, true);
}

const BOOL_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', '1', '0', 'y', 'n', 't', 'f']);

/**
 * Evaluate a condition. A string result that is a boolean word (true/false/yes/no/on/off/1/0) counts as that
 * boolean (so `-e flag=false` then `when: flag` is false); a condition written with `{{ }}` whose result is
 * another string is evaluated once more as an expression, as Ansible does.
 */
export function evalCondition(expr: unknown, ctx: Vars, where: Where = {}): boolean {
  if (typeof expr === 'boolean') return expr;
  // `when: yes` (YAML 1.1's boolean, a string in YAML 1.2) when no variable has that name.
  if (typeof expr === 'string') {
    const word = expr.trim();
    if (BOOL_WORDS.has(word.toLowerCase()) && !Object.hasOwn(ctx, word)) return toBool(word);
  }
  const v = evalExpression(expr, ctx, where);
  if (typeof v === 'string') {
    const w = v.trim().toLowerCase();
    if (BOOL_WORDS.has(w)) return toBool(w);
    if (typeof expr === 'string' && hasMarkers(expr) && v.trim() && !hasMarkers(v)) return evalCondition(v, ctx, where);
  }
  return truthy(v);
}

/**
 * Syntax check without rendering (for load-time validation): the E_TEMPLATE error a template (or, with
 * `expression`, a bare `when:`-style expression) would raise, or undefined when it parses.
 */
export function checkTemplate(
  src: string,
  where: Where = {},
  opts: { expression?: boolean } = {},
): LifeboatError | undefined {
  const text = opts.expression && !hasMarkers(src) ? `{{ ${src} }}` : src;
  if (!hasTemplate(text)) return undefined;
  try {
    compileTemplate(text, { trimBlocks: true, lstripBlocks: false });
    // A lookup named by a literal (`lookup('nope', …)`) is only known missing when called: validate says so now.
    const bad = unknownLookup(parseTemplate(text, { trimBlocks: true, lstripBlocks: false }));
    if (bad) throw bad;
    return undefined;
  } catch (e) {
    const out = locate(e, newState({}, where, {}), text);
    return out instanceof LifeboatError ? out : new LifeboatError('E_TEMPLATE', String(out), whereOpts(where));
  }
}

/** str() of a rendered value, as it would print inside a larger template. */
export function toText(v: unknown): string {
  return pyStr(v);
}
