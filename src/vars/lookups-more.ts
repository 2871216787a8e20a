/**
 * Lookups that read the controller's state: `varnames` (names of the variables in scope matching regular
 * expressions), `pipe` (a command's output, run on the controller in the playbook's directory) and `template`
 * (a template file rendered with the variables in scope). As Ansible's: they run where the template is rendered,
 * on the controller, in a plan too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { LifeboatError } from '../errors.js';
import { pyStr } from './python.js';
import { pyRegex } from './regex.js';
import type { CallEnv, Kw } from './registry.js';
import { whereOpts } from './undefined.js';

/** `query('varnames', '^etcd_', …)`: every variable name in scope that one of the patterns matches (re.search). */
export function varnames(terms: unknown[], _kw: Kw, env: CallEnv): unknown[] {
  const names = Object.keys(env.state.ctx);
  const out: string[] = [];
  for (const t of terms) {
    if (typeof t !== 'string')
      throw new LifeboatError('E_TEMPLATE', `lookup('varnames'): ${pyStr(t)} is not a string (a regular expression)`, whereOpts(env.state.where));
    const re = pyRegex(t);
    for (const n of names) if (re.test(n)) out.push(n);
  }
  return out;
}

const baseDir = (env: CallEnv): string => {
  const d = env.state.ctx.playbook_dir;
  return typeof d === 'string' ? d : process.cwd();
};

/** `lookup('pipe', 'cmd')`: the command's stdout, trailing whitespace stripped; a nonzero exit fails the template. */
export function pipe(terms: unknown[], _kw: Kw, env: CallEnv): unknown[] {
  return terms.map((t) => {
    const cmd = pyStr(t);
    try {
      return execFileSync('/bin/sh', ['-c', cmd], { cwd: baseDir(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\s+$/, '');
    } catch (e) {
      const x = e as { status?: number | null; stderr?: string };
      throw new LifeboatError(
        'E_TEMPLATE',
        `lookup('pipe', ${JSON.stringify(cmd)}) exited ${x.status ?? 'on a signal'}${x.stderr ? `: ${x.stderr.trim().split('\n')[0]}` : ''}`,
        whereOpts(env.state.where, 'the command runs on the controller, with /bin/sh, in the playbook directory'),
      );
    }
  });
}

/** `lookup('template', 'x.j2')`: looked for in the role's then the playbook's templates/ (and the dirs themselves). */
export function template(terms: unknown[], _kw: Kw, env: CallEnv): unknown[] {
  return terms.map((t) => {
    const name = pyStr(t);
    const ctx = env.state.ctx;
    const tried = isAbsolute(name)
      ? [name]
      : [ctx.role_path, ctx.playbook_dir].flatMap((d) => (typeof d === 'string' ? [join(d, 'templates', name), join(d, name)] : []));
    if (!tried.length) tried.push(join(process.cwd(), name));
    for (const p of tried) {
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      // as Ansible's (convert_data): a file that is one `{{ x }}` keeps x's type, anything else is text
      return env.state.renderRaw(text, env.state);
    }
    throw new LifeboatError('E_TEMPLATE', `lookup('template', '${name}'): file not found (looked in ${tried.join(', ')})`, whereOpts(env.state.where));
  });
}

export const MORE_LOOKUPS = { varnames, pipe, template };
