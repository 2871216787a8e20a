import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { LifeboatError } from '../errors.js';
import { TemplateTypeError, isMapping, pyStr } from './python.js';
import type { CallEnv, GlobalFn, Kw } from './registry.js';
import { fileglob, firstFound, flattened } from './lookups-files.js';
import { inventoryHostnames, nested, subelements } from './lookups-loops.js';
import { MORE_LOOKUPS } from './lookups-more.js';
import { whereOpts } from './undefined.js';

/** Global functions: range(), lookup()/query(), dict(). */

type LookupFn = (terms: unknown[], kw: Kw, env: CallEnv) => unknown[];

function fileCandidates(env: CallEnv, path: string): string[] {
  if (isAbsolute(path)) return [path];
  const ctx = env.state.ctx;
  const dirs: string[] = [];
  if (typeof ctx.role_path === 'string') dirs.push(join(ctx.role_path, 'files'), ctx.role_path);
  if (typeof ctx.playbook_dir === 'string') dirs.push(join(ctx.playbook_dir, 'files'), ctx.playbook_dir);
  if (!dirs.length) dirs.push(process.cwd());
  return dirs.map((d) => join(d, path));
}

export const LOOKUPS: Record<string, LookupFn> = {
  env: (terms, kw) =>
    terms.map((t) => {
      const v = process.env[String(t)];
      return v !== undefined ? v : Object.hasOwn(kw, 'default') ? kw.default : '';
    }),
  file: (terms, kw, env) =>
    terms.map((t) => {
      const tried = fileCandidates(env, String(t));
      for (const p of tried) {
        try {
          const text = readFileSync(p, 'utf8');
          return kw.rstrip === false ? text : text.replace(/\s+$/, '');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
      throw new LifeboatError(
        'E_TEMPLATE',
        `lookup('file', '${String(t)}'): file not found (looked in ${tried.join(', ')})`,
        whereOpts(
          env.state.where,
          'a relative path is looked up in the role, then the playbook directory (and their files/)',
        ),
      );
    }),
  vars: (terms, kw, env) =>
    terms.map((t) => {
      const name = String(t);
      const v = env.state.ctx[name];
      if (v === undefined) {
        if (Object.hasOwn(kw, 'default')) return kw.default;
        throw new LifeboatError(
          'E_UNDEFINED',
          `lookup('vars', '${name}'): '${name}' is undefined`,
          whereOpts(env.state.where),
        );
      }
      return v;
    }),
  items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  first_found: firstFound,
  fileglob,
  flattened,
  nested,
  subelements,
  inventory_hostnames: inventoryHostnames,
  list: (terms) => terms,
  ...MORE_LOOKUPS,
};

function runLookup(args: unknown[], kw: Kw, env: CallEnv): unknown[] {
  const [name, ...terms] = args;
  const fn = LOOKUPS[String(name).replace(/^(ansible\.builtin|ansible\.legacy|community\.general)\./, '')];
  if (!fn)
    throw new LifeboatError(
      'E_TEMPLATE',
      `no lookup plugin named '${String(name)}'`,
      whereOpts(env.state.where, `Lifeboat has: ${Object.keys(LOOKUPS).join(', ')}`),
    );
  const { wantlist: _w, errors, ...rest } = kw;
  try {
    return fn(terms, rest, env);
  } catch (e) {
    if (errors === 'ignore') return [];
    throw e;
  }
}

export const FUNCTIONS: Record<string, GlobalFn> = {
  range: (args) => {
    const nums = args.map(Number);
    if (nums.some((n) => !Number.isInteger(n))) throw new TemplateTypeError('range() takes integers');
    const [start, stop, step] =
      nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 1];
    if (step === 0) throw new TemplateTypeError('range() step must not be zero');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
      out.push(i);
      if (out.length > 1_000_000) throw new TemplateTypeError('range() too long');
    }
    return out;
  },
  lookup: (args, kw, env) => {
    const r = runLookup(args, kw, env);
    if (kw.wantlist === true) return r;
    return r.length === 1 ? r[0] : r.map(pyStr).join(',');
  },
  query: (args, kw, env) => runLookup(args, kw, env),
  q: (args, kw, env) => runLookup(args, kw, env),
  dict: (args, kw) => {
    const out: Record<string, unknown> = {};
    const first = args[0];
    if (isMapping(first)) Object.assign(out, first);
    else if (Array.isArray(first))
      for (const p of first) {
        if (!Array.isArray(p) || p.length !== 2) throw new TemplateTypeError('dict() needs a list of pairs');
        out[pyStr(p[0])] = p[1];
      }
    return Object.assign(out, kw);
  },
};
