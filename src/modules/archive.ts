import { posix } from 'node:path';
import { shellQuote } from '../connection/quote.js';
import { globToRegExp } from '../glob.js';
import { argError, asList, failedOp, listSchema, probe } from './common.js';
import { modeArg } from './copy.js';
import { formatMode, targetMode } from './mode.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * archive (community.general.archive) — files and directories on the host packed into a tar (gz, bz2, xz or
 * none) or zip archive, or one file compressed on its own. Globs in `path` and `exclude_path` are expanded on
 * the host; entries are stored relative to the sources' longest common directory (Ansible's arcroot), so
 * `path: [/etc/a, /etc/b]` stores `a/…` and `b/…`.
 *
 * One probe expands the paths, a second lists the entries and the existing archive. No change when the archive
 * already holds exactly those entries and none of them is newer than it (as make decides). The archive is built
 * beside its destination and renamed over it, so a failed run leaves the old one. `remove: true` deletes the
 * archived sources only after the archive is in place.
 *
 * Returns: state (archive, compress, incomplete), dest_state, missing, archived, expanded_paths,
 * expanded_exclude_paths, arcroot, dest.
 */
type Format = 'gz' | 'bz2' | 'xz' | 'tar' | 'zip';

export interface ArchiveArgs {
  path: string | string[];
  dest?: string;
  format?: Format;
  exclude_path?: string | string[];
  exclusion_patterns?: string | string[];
  force_archive?: boolean;
  remove?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
}

const list = listSchema;

export const archiveSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: list,
    dest: { type: 'string', minLength: 1 },
    format: { type: 'string', enum: ['gz', 'bz2', 'xz', 'tar', 'zip'] },
    exclude_path: list,
    exclusion_patterns: list,
    force_archive: { type: 'boolean' },
    remove: { type: 'boolean' },
    mode: { type: ['string', 'integer'] },
    owner: { type: 'string' },
    group: { type: 'string' },
  },
};

/** A glob as a shell word: the metacharacters bare, everything else quoted. */
export function globWord(glob: string): string {
  return glob
    .split(/([*?]|\[[^\]/]+\])/)
    .map((part, i) => (i % 2 === 1 ? part : part === '' ? '' : shellQuote(part)))
    .join('');
}

/** Ansible's arcroot: the common prefix of the sources' parent directories, cut back to a directory. */
export function arcRoot(paths: string[]): string {
  const parents = paths.map((p) => `${posix.dirname(p.replace(/\/+$/, ''))}/`.replace(/\/+$/, '/'));
  let prefix = parents[0] ?? '/';
  for (const p of parents.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < p.length && prefix[i] === p[i]) i++;
    prefix = prefix.slice(0, i);
  }
  const dir = prefix.endsWith('/') ? prefix : posix.dirname(prefix);
  return dir.endsWith('/') ? dir : `${dir}/`;
}

const TAR_FLAG: Record<Exclude<Format, 'zip'>, string> = { gz: 'z', bz2: 'j', xz: 'J', tar: '' };
const COMPRESSOR: Record<'gz' | 'bz2' | 'xz', string> = { gz: 'gzip', bz2: 'bzip2', xz: 'xz' };

function expandScript(patterns: string[], marker: string): string {
  return patterns
    .map(
      (p) =>
        `f=0; for p in ${globWord(p)}; do if [ -e "$p" ] || [ -L "$p" ]; then if [ -d "$p" ]; then printf '${marker}d=%s\\n' "$p"; else printf '${marker}=%s\\n' "$p"; fi; f=1; fi; done; [ $f = 1 ] || printf 'missing=%s\\n' ${shellQuote(p)}`,
    )
    .join('; ');
}

export const archiveModule: ModuleDef<ArchiveArgs> = {
  name: 'archive',
  summary: 'Pack files on the host into a tar/zip archive, or compress one file',
  schema: archiveSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const format: Format = a.format ?? 'gz';
    const patterns = asList(a.path);
    for (const p of [...patterns, ...asList(a.exclude_path)])
      if (!p.startsWith('/')) throw argError('archive', ctx, `path ${p} is not absolute`, 'give absolute paths on the host');
    const mode = modeArg('archive', ctx, a.mode);

    const first = (await probe(ctx, `${expandScript(patterns, 'path')}; ${expandScript(asList(a.exclude_path), 'exclude')}`)).stdout;
    const lines = first.split('\n');
    const grab = (k: string) => lines.filter((l) => l.startsWith(`${k}=`)).map((l) => l.slice(k.length + 1));
    const excluded = new Set([...grab('exclude'), ...grab('excluded')]);
    const dirs = new Set(grab('pathd'));
    const missing = grab('missing').filter((m) => patterns.includes(m));
    const expanded = [...new Set([...grab('path'), ...dirs])].filter((p) => !excluded.has(p));
    if (expanded.length === 0) return failedOp(`Error, no source paths were found`, { missing, expanded_paths: [] });

    const src = expanded[0] as string;
    const single = expanded.length === 1 && patterns.length === 1 && !/[*?[]/.test(patterns[0] as string) && !dirs.has(src);
    const compress = single && !a.force_archive && format !== 'tar' && format !== 'zip';
    const dest = a.dest ?? (single ? `${src}.${format}` : undefined);
    if (!dest)
      throw argError('archive', ctx, 'dest is required when path names a directory, a glob or more than one source', 'give dest: /path/to/archive.tar.gz');
    const root = arcRoot(expanded);
    const rels = expanded.map((p) => p.slice(root.length).replace(/\/+$/, '') || '.');
    const tmp = `${dest}.lifeboat-tmp`;
    const qd = shellQuote(dest);

    const second = [
      `cd ${shellQuote(root)} || exit 3`,
      `if [ -e ${qd} ]; then echo dest=yes; fi`,
      format === 'zip' ? 'command -v zip >/dev/null && echo zip=yes; command -v unzip >/dev/null && echo unzip=yes' : '',
      'echo ---entries',
      `find ${rels.map(shellQuote).join(' ')} -printf '%y %p\\n'`,
      `echo ---newer; if [ -e ${qd} ]; then find ${rels.map(shellQuote).join(' ')} -newer ${qd} ! -path ${shellQuote(dest.slice(root.length))} -print -quit; fi`,
      `echo ---members; if [ -e ${qd} ]; then ${format === 'zip' ? `unzip -Z1 ${qd}` : `tar -tf ${qd}`} 2>/dev/null; fi`,
    ]
      .filter(Boolean)
      .join('; ');
    const out = (await probe(ctx, second)).stdout;
    const [head = '', rest = ''] = out.split('---entries\n');
    const [entriesText = '', rest2 = ''] = rest.split('---newer\n');
    const [newerText = '', membersText = ''] = rest2.split('---members\n');
    const has = (k: string) => head.split('\n').includes(`${k}=yes`);

    const patternsRe = asList(a.exclusion_patterns).map(globToRegExp);
    const destRel = dest.startsWith(root) ? dest.slice(root.length) : undefined;
    const entries = entriesText
      .split('\n')
      .filter(Boolean)
      .map((l) => ({ type: l.slice(0, 1), name: l.slice(2) }))
      .filter((e) => e.name !== destRel && e.name !== tmp.slice(root.length))
      .filter((e) => !patternsRe.some((re) => re.test(e.name) || re.test(posix.basename(e.name))))
      .filter((e) => ![...excluded].some((x) => `${root}${e.name}` === x || `${root}${e.name}`.startsWith(`${x.replace(/\/+$/, '')}/`)));
    const archived = entries.filter((e) => e.type !== 'd').map((e) => `${root}${e.name}`);
    const members = new Set(membersText.split('\n').filter(Boolean).map((m) => m.replace(/\/+$/, '')));
    const want = new Set(entries.map((e) => e.name));
    const same = has('dest') && newerText.trim() === '' && (compress || (members.size === want.size && [...want].every((n) => members.has(n))));

    const steps: Step[] = [];
    if (!same) {
      if (format === 'zip' && !has('zip')) return failedOp('zip is not installed on the host: install the zip package or use format: gz');
      let cmd: string;
      if (compress) cmd = `${COMPRESSOR[format as 'gz' | 'bz2' | 'xz']} -c -- ${shellQuote(src)} > ${shellQuote(tmp)}`;
      else if (format === 'zip') cmd = `cd ${shellQuote(root)} && rm -f ${shellQuote(tmp)} && tr '\\0' '\\n' | zip -q ${shellQuote(tmp)} -@`;
      else cmd = `cd ${shellQuote(root)} && tar --null --no-recursion -c${TAR_FLAG[format]}f ${shellQuote(tmp)} -T -`;
      const m = mode ? formatMode(targetMode(mode, 0o644, false)) : undefined;
      const own = a.owner || a.group ? ` && chown ${shellQuote(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`)} ${shellQuote(tmp)}` : '';
      steps.push({
        kind: 'exec',
        cmd: `${cmd}${m ? ` && chmod ${m} ${shellQuote(tmp)}` : ''}${own} && mv -f -- ${shellQuote(tmp)} ${qd}`,
        ...(compress ? {} : { stdin: `${entries.map((e) => e.name).join('\0')}\0` }),
        description: compress ? `compress ${src} to ${dest}` : `archive ${entries.length} entries under ${root} into ${dest}`,
      });
    }
    if (a.remove) {
      const files = compress ? [src] : archived;
      const dirs = compress ? [] : entries.filter((e) => e.type === 'd').map((e) => `${root}${e.name}`).sort().reverse();
      if (files.length || dirs.length)
        steps.push({
          kind: 'exec',
          cmd: `xargs -0 -r rm -f -- && ${dirs.length ? `for d in ${dirs.map(shellQuote).join(' ')}; do rmdir -- "$d" 2>/dev/null || true; done` : 'true'}`,
          stdin: `${files.join('\0')}\0`,
          description: `remove the ${files.length} archived sources`,
          destructive: `deletes the archived source files (remove: true)`,
        });
    }
    const state = missing.length ? 'incomplete' : compress ? 'compress' : 'archive';
    return {
      changed: steps.length > 0,
      steps,
      result: {
        dest,
        state,
        dest_state: compress ? 'compress' : 'archive',
        missing,
        archived: compress ? [src] : archived,
        expanded_paths: expanded,
        expanded_exclude_paths: [...excluded],
        arcroot: root,
      },
    };
  },
};

registerModule(archiveModule);
