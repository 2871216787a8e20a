import { LifeboatError, nearest } from '../errors.js';
import { FILTERS } from './filters/index.js';
import { FUNCTIONS } from './functions.js';
import { METHODS } from './methods.js';
import { canonicalName, closeNames } from './names.js';
import { typeName } from './python.js';
import type { CallEnv, Kw } from './registry.js';
import type { Scope, State } from './scope.js';
import { TESTS } from './tests.js';
import { strict, whereOpts } from './undefined.js';
import { isUnknown } from './unknown.js';

/** Filters that accept an undefined (or not-yet-known) value. */
const LENIENT_FILTERS = new Set(['default', 'd', 'mandatory']);
/** Tests that accept an undefined (or not-yet-known) value. */
const LENIENT_TESTS = new Set(['defined', 'undefined']);

const canonical = canonicalName;

function unknownName(state: State, kind: string, name: string, known: string[]): LifeboatError {
  const close = closeNames(canonical(name), known);
  return new LifeboatError(
    'E_TEMPLATE',
    `no ${kind} named '${name}'`,
    whereOpts(
      state.where,
      close.length
        ? `did you mean ${close.map((c) => `\`${c}\``).join(', ')}?`
        : `see docs/variables.md for the ${kind}s Lifeboat knows`,
    ),
  );
}

export function envOf(state: State): CallEnv {
  const env: CallEnv = {
    state,
    filter: (name, value, args = [], kw = {}) => runFilter(state, env, name, value, args, kw),
    test: (name, value, args = [], kw = {}) => runTest(state, env, name, value, args, kw),
  };
  return env;
}

function checkArgs(state: State, args: unknown[], kw: Kw): void {
  for (const a of args) strict(a, state.where, state.chain);
  for (const a of Object.values(kw)) strict(a, state.where, state.chain);
}

function runFilter(state: State, env: CallEnv, raw: string, value: unknown, args: unknown[], kw: Kw): unknown {
  const name = canonical(raw);
  const f = FILTERS[name];
  if (!f) throw unknownName(state, 'filter', raw, Object.keys(FILTERS));
  if (!LENIENT_FILTERS.has(name)) strict(value, state.where, state.chain);
  checkArgs(state, args, kw);
  return f(value, args, kw, env);
}

function runTest(state: State, env: CallEnv, raw: string, value: unknown, args: unknown[], kw: Kw): boolean {
  const name = canonical(raw);
  const t = TESTS[name];
  if (!t) throw unknownName(state, 'test', raw, Object.keys(TESTS));
  if (!LENIENT_TESTS.has(name)) strict(value, state.where, state.chain);
  checkArgs(state, args, kw);
  return t(value, args, kw, env);
}

export function callFilter(s: Scope, name: string, value: unknown, args: unknown[], kw: Kw): unknown {
  const env = envOf(s.state);
  return env.filter(name, value, args, kw);
}

export function callTest(s: Scope, name: string, value: unknown, args: unknown[], kw: Kw): boolean {
  const env = envOf(s.state);
  return env.test(name, value, args, kw);
}

export function callFunction(s: Scope, name: string, args: unknown[], kw: Kw): unknown {
  const f = FUNCTIONS[name];
  if (!f) {
    if (isUnknown(s.lookup(name, {}))) strict(s.lookup(name, {}), s.state.where, s.state.chain);
    throw unknownName(s.state, 'function', name, Object.keys(FUNCTIONS));
  }
  checkArgs(s.state, args, kw);
  return f(args, kw, envOf(s.state));
}

export function callMethod(s: Scope, target: unknown, method: string, args: unknown[], kw: Kw, path: string): unknown {
  const type = typeName(target);
  const table = METHODS[type];
  const m = table?.[method];
  if (!m) {
    const near = nearest(method, Object.keys(table ?? {}));
    throw new LifeboatError(
      'E_TEMPLATE',
      `'${path}' is a ${type}, which has no method '${method}'`,
      whereOpts(s.state.where, near ? `did you mean \`${near}\`?` : undefined),
    );
  }
  checkArgs(s.state, args, kw);
  return m(target, args, kw, envOf(s.state));
}
