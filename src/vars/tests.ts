import { LifeboatError } from '../errors.js';
import { compareVersions } from './filters/version.js';
import { TemplateTypeError, isMapping, pyEquals, pyIn, pyCompare, truthy, typeName } from './python.js';
import { pyRegex, reFlags } from './regex.js';
import { type Kw, type TestFn, arg } from './registry.js';
import { isUndefined, whereOpts } from './undefined.js';
import { netTests } from './filters/net.js';

/** Jinja tests (`x is defined`, `r is failed`, `s is match('re')`), Ansible semantics. */

function taskResult(
  name: string,
): (v: unknown, a: unknown[], kw: Kw, env: Parameters<TestFn>[3]) => Record<string, unknown> {
  return (v, _a, _kw, env) => {
    if (!isMapping(v))
      throw new LifeboatError(
        'E_TEMPLATE',
        `the '${name}' test expects a registered task result (a mapping), got ${typeName(v)}`,
        whereOpts(env.state.where, 'use it on a variable set with `register:`'),
      );
    return v;
  };
}

const failed: TestFn = (v, a, kw, env) => truthy(taskResult('failed')(v, a, kw, env).failed);
const succeeded: TestFn = (v, a, kw, env) => !truthy(taskResult('succeeded')(v, a, kw, env).failed);
const changed: TestFn = (v, a, kw, env) => truthy(taskResult('changed')(v, a, kw, env).changed);
const skipped: TestFn = (v, a, kw, env) => truthy(taskResult('skipped')(v, a, kw, env).skipped);

function regexTest(kind: 'match' | 'search' | 'fullmatch'): TestFn {
  return (v, a, kw) => {
    if (typeof v !== 'string') throw new TemplateTypeError(`the '${kind}' test needs a string, got ${typeName(v)}`);
    const re = pyRegex(String(a[0]), reFlags(kw, a[1], a[2]));
    const m = re.exec(v);
    if (!m) return false;
    if (kind === 'match') return m.index === 0 || new RegExp(`^(?:${re.source})`, re.flags).test(v);
    if (kind === 'fullmatch') return new RegExp(`^(?:${re.source})$`, re.flags).test(v);
    return true;
  };
}

const eq: TestFn = (v, a) => pyEquals(v, a[0]);
const cmp =
  (f: (c: number) => boolean): TestFn =>
  (v, a) =>
    f(pyCompare(v, a[0]));

export const TESTS: Record<string, TestFn> = {
  defined: (v) => !isUndefined(v),
  undefined: (v) => isUndefined(v),
  none: (v) => v === null,
  succeeded,
  success: succeeded,
  successful: succeeded,
  failed,
  failure: failed,
  changed,
  change: changed,
  skipped,
  skip: skipped,
  match: regexTest('match'),
  search: regexTest('search'),
  regex: (v, a, kw, env) => regexTest(arg(a, kw, 3, 'match_type', 'search') as 'match')(v, a, kw, env),
  in: (v, a) => pyIn(v, a[0]),
  contains: (v, a) => pyIn(a[0], v),
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  mapping: (v) => isMapping(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  list: (v) => Array.isArray(v),
  equalto: eq,
  eq,
  '==': eq,
  sameas: (v, a) => v === a[0],
  ne: (v, a) => !pyEquals(v, a[0]),
  '!=': (v, a) => !pyEquals(v, a[0]),
  lt: cmp((c) => c < 0),
  le: cmp((c) => c <= 0),
  gt: cmp((c) => c > 0),
  ge: cmp((c) => c >= 0),
  '<': cmp((c) => c < 0),
  '<=': cmp((c) => c <= 0),
  '>': cmp((c) => c > 0),
  '>=': cmp((c) => c >= 0),
  lessthan: cmp((c) => c < 0),
  greaterthan: cmp((c) => c > 0),
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  divisibleby: (v, a) => Number(v) % Number(a[0]) === 0,
  even: (v) => Number(v) % 2 === 0,
  odd: (v) => Math.abs(Number(v) % 2) === 1,
  lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
  upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
  subset: (v, a) => Array.isArray(v) && Array.isArray(a[0]) && v.every((x) => pyIn(x, a[0])),
  superset: (v, a) => Array.isArray(v) && Array.isArray(a[0]) && (a[0] as unknown[]).every((x) => pyIn(x, v)),
  version: (v, a, kw) =>
    compareVersions(String(v), String(arg(a, kw, 0, 'version')), String(arg(a, kw, 1, 'operator', 'eq'))),
  version_compare: (v, a, kw) =>
    compareVersions(String(v), String(arg(a, kw, 0, 'version')), String(arg(a, kw, 1, 'operator', 'eq'))),
  ...netTests,
};
