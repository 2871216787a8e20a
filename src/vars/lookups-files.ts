/**
 * File lookups: `first_found` (the first file of a list that exists, searched in the role and playbook
 * directories and their files/, vars/, tasks/, templates/) and `fileglob` (the files matching a pattern),
 * plus `flattened` (with_flattened). Relative paths are looked up on the controller, as in Ansible.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { LifeboatError } from '../errors.js';
import { isMapping } from './python.js';
import type { CallEnv, Kw } from './registry.js';
import { whereOpts } from './undefined.js';

const SUBDIRS = ['files', 'vars', 'tasks', 'templates'];

/** with_X passes its list as one term: spread it. */
function spread(terms: unknown[]): unknown[] {
  return terms.length === 1 && Array.isArray(terms[0]) ? terms[0] : terms;
}

function baseDirs(env: CallEnv): string[] {
  const ctx = env.state.ctx;
  const dirs: string[] = [];
  for (const d of [ctx.role_path, ctx.playbook_dir]) {
    if (typeof d !== 'string') continue;
    for (const s of SUBDIRS) dirs.push(join(d, s));
    dirs.push(d);
  }
  if (!dirs.length) dirs.push(process.cwd());
  return dirs;
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

const splitNames = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(/[,;]/) : [String(x)])).map((s) => s.trim()).filter(Boolean);

export function firstFound(terms: unknown[], kw: Kw, env: CallEnv): unknown[] {
  let skip = kw.skip === true;
  const tried: string[] = [];
  const groups: Array<{ files: string[]; paths: string[] }> = [];
  for (const t of spread(terms)) {
    if (isMapping(t)) {
      if (t.skip === true) skip = true;
      groups.push({ files: splitNames(t.files ?? []), paths: splitNames(t.paths ?? kw.paths ?? []) });
    } else groups.push({ files: splitNames(t), paths: splitNames(kw.paths ?? []) });
  }
  for (const g of groups) {
    for (const f of g.files) {
      const candidates = isAbsolute(f)
        ? [f]
        : g.paths.length
          ? g.paths.flatMap((p) => (isAbsolute(p) ? [join(p, f)] : baseDirs(env).map((d) => join(d, p, f))))
          : baseDirs(env).map((d) => join(d, f));
      for (const c of candidates) {
        tried.push(c);
        if (isFile(c)) return [c];
      }
    }
  }
  if (skip) return [];
  throw new LifeboatError(
    'E_TEMPLATE',
    `lookup('first_found'): none of the files exists (looked for ${tried.slice(0, 6).join(', ')}${tried.length > 6 ? ', …' : ''})`,
    whereOpts(env.state.where, 'add `skip: true` to go on without a file'),
  );
}

function globRegex(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The files (not directories) matching each pattern, sorted; a relative pattern is looked for in files/ first. */
export function fileglob(terms: unknown[], _kw: Kw, env: CallEnv): unknown[] {
  const out: string[] = [];
  for (const t of spread(terms)) {
    const pattern = String(t);
    const dirs = isAbsolute(pattern) ? [dirname(pattern)] : baseDirs(env).filter((d) => basename(d) === 'files' || !SUBDIRS.includes(basename(d))).map((d) => join(d, dirname(pattern)));
    const re = globRegex(basename(pattern));
    for (const d of dirs) {
      let names: string[];
      try {
        names = readdirSync(d);
      } catch {
        continue;
      }
      const found = names.filter((n) => re.test(n) && isFile(join(d, n))).sort().map((n) => join(d, n));
      if (found.length) {
        out.push(...found);
        break;
      }
    }
  }
  return out;
}

/** with_flattened: every nesting level flattened. */
export function flattened(terms: unknown[]): unknown[] {
  const flat = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
  return flat(terms);
}
