import { shellQuote } from '../connection/quote.js';
import { globToRegExp } from '../glob.js';
import { argError, probe } from './common.js';
import { pyRegex } from './lineinfile-edit.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * find — files under `paths` matching `patterns` (shell globs on the base name, or regular expressions with
 * `use_regex`), not `excludes`, of `file_type`, with `age`, `size`, `contains` (a regular expression a line of the
 * file matches), `hidden`, `recurse`/`depth`, `follow`. One `find -printf` probe (plus `grep` for `contains`);
 * read-only, never a change; in a plan too.
 *
 * Returns: files (path, mode, isdir, isreg, islnk, size, uid, gid, pw_name, gr_name, mtime, atime, ctime, inode,
 * nlink), matched, examined, skipped_paths, msg.
 */
export interface FindArgs {
  paths?: string[] | string;
  path?: string[] | string;
  name?: string[] | string;
  patterns?: string[] | string;
  pattern?: string[] | string;
  excludes?: string[] | string;
  exclude?: string[] | string;
  file_type?: 'file' | 'directory' | 'link' | 'any';
  recurse?: boolean;
  depth?: number;
  hidden?: boolean;
  follow?: boolean;
  use_regex?: boolean;
  age?: string;
  age_stamp?: 'atime' | 'ctime' | 'mtime';
  size?: string;
  contains?: string;
  read_whole_file?: boolean;
  get_checksum?: boolean;
}

const list = { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }] };

export const findSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    paths: list,
    path: list,
    name: list,
    patterns: list,
    pattern: list,
    excludes: list,
    exclude: list,
    file_type: { type: 'string', enum: ['file', 'directory', 'link', 'any'] },
    recurse: { type: 'boolean' },
    depth: { type: 'integer', minimum: 1 },
    hidden: { type: 'boolean' },
    follow: { type: 'boolean' },
    use_regex: { type: 'boolean' },
    age: { type: 'string', pattern: '^-?\\d+[smhdw]?$' },
    age_stamp: { type: 'string', enum: ['atime', 'ctime', 'mtime'] },
    size: { type: 'string', pattern: '^-?\\d+[bkmgt]?$' },
    contains: { type: 'string' },
    read_whole_file: { type: 'boolean' },
    get_checksum: { type: 'boolean', description: 'accepted; checksums are not reported' },
  },
  anyOf: [{ required: ['paths'] }, { required: ['path'] }, { required: ['name'] }],
};

function strList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  // as Ansible: a string is a comma-separated list
  return (Array.isArray(v) ? v.map(String) : String(v).split(',')).map((s) => s.trim()).filter(Boolean);
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, b: 1, k: 1024, g: 1024 ** 3, t: 1024 ** 4 };

function amount(text: string, kind: 'age' | 'size'): number {
  const m = /^(-?\d+)([a-z]?)$/.exec(text) as RegExpExecArray;
  const unit = m[2] || (kind === 'age' ? 's' : 'b');
  return Number(m[1]) * (kind === 'size' && unit === 'm' ? 1024 ** 2 : (UNITS[unit] ?? 1));
}

const TYPES: Record<string, string> = { f: 'file', d: 'directory', l: 'link' };

export const findModule: ModuleDef<FindArgs> = {
  name: 'find',
  summary: 'Find files by name, type, age, size or content (read-only)',
  schema: findSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const paths = strList(a.paths ?? a.path ?? a.name);
    const pats = strList(a.patterns ?? a.pattern);
    const excl = strList(a.excludes ?? a.exclude);
    let match: RegExp[];
    let skip: RegExp[];
    try {
      const mk = (p: string) => (a.use_regex ? new RegExp(`^(?:${pyRegex(p).source})`) : globToRegExp(p));
      match = pats.map(mk);
      skip = excl.map(mk);
      if (a.contains !== undefined) pyRegex(a.contains);
    } catch (e) {
      throw argError('find', ctx, `a pattern is not a valid regular expression: ${(e as Error).message}`);
    }
    const type = a.file_type ?? 'file';
    const depth = a.recurse ? (a.depth ?? 0) : 1;
    const now = Date.now() / 1000;
    const files: Record<string, unknown>[] = [];
    const skipped: Record<string, string> = {};
    let examined = 0;
    for (const root of paths) {
      const fmt = '%y\\t%m\\t%s\\t%U\\t%G\\t%u\\t%g\\t%T@\\t%A@\\t%C@\\t%i\\t%n\\t%p\\0';
      const r = await probe(ctx, `if [ ! -d ${shellQuote(root)} ]; then echo notdir >&2; exit 3; fi; find ${a.follow ? '-L ' : ''}${shellQuote(root)} -mindepth 1 ${depth ? `-maxdepth ${depth} ` : ''}-printf '${fmt}' 2>/dev/null; true`);
      if (r.rc !== 0) {
        skipped[root] = `${root} was skipped as it does not seem to be a valid directory or it cannot be accessed`;
        continue;
      }
      for (const rec of r.stdout.split('\0')) {
        if (!rec) continue;
        const f = rec.split('\t');
        const path = f.slice(12).join('\t');
        const base = path.slice(path.lastIndexOf('/') + 1);
        examined++;
        const rel = path.slice(root.replace(/\/$/, '').length + 1);
        if (!a.hidden && rel.split('/').some((part) => part.startsWith('.'))) continue;
        const t = TYPES[f[0] as string] ?? 'other';
        if (type !== 'any' && t !== type) continue;
        if (match.length && !match.some((re) => re.test(base))) continue;
        if (skip.some((re) => re.test(base))) continue;
        const stamp = Number(f[a.age_stamp === 'atime' ? 8 : a.age_stamp === 'ctime' ? 9 : 7]);
        if (a.age !== undefined) {
          const want = amount(a.age, 'age');
          const age = now - stamp;
          if (want >= 0 ? age < want : age > -want) continue;
        }
        const size = Number(f[2]);
        if (a.size !== undefined && t === 'file') {
          const want = amount(a.size, 'size');
          if (want >= 0 ? size < want : size > -want) continue;
        }
        files.push({
          path,
          mode: (f[1] as string).padStart(4, '0'),
          isdir: t === 'directory',
          isreg: t === 'file',
          islnk: t === 'link',
          size,
          uid: Number(f[3]),
          gid: Number(f[4]),
          pw_name: f[5],
          gr_name: f[6],
          mtime: Number(f[7]),
          atime: Number(f[8]),
          ctime: Number(f[9]),
          inode: Number(f[10]),
          nlink: Number(f[11]),
        });
      }
    }
    let found = files;
    if (a.contains !== undefined) {
      const regs = files.filter((f) => f.isreg).map((f) => f.path as string);
      const hit = new Set<string>();
      if (regs.length) {
        const r = await probe(ctx, `grep -lP -- ${shellQuote(a.contains)} ${regs.map(shellQuote).join(' ')} 2>/dev/null; true`);
        for (const l of r.stdout.split('\n')) if (l) hit.add(l);
      }
      found = files.filter((f) => hit.has(f.path as string));
    }
    return {
      changed: false,
      steps: [],
      result: { changed: false, files: found, matched: found.length, examined, skipped_paths: skipped, msg: 'All paths examined' },
    };
  },
};

registerModule(findModule);
