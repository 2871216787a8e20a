import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import { shellJoin, shellQuote } from '../connection/quote.js';
import { argError, asList, failedOp, listSchema, missingNow, probe } from './common.js';
import { modeArg } from './copy.js';
import {
  type ArchiveFormat,
  differing,
  formatOfMagic,
  listCommand,
  parseTarListing,
  parseZipListing,
  STAT_EACH,
  stripOf,
} from './lib/archive-list.js';
import { digestFile, findLocalFile } from './local-files.js';
import { formatMode } from './mode.js';
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, Operation, Step } from './types.js';

const run = promisify(execFile);

/**
 * unarchive — unpack a tar (plain, gz, bz2, xz) or zip archive into an existing directory with the host's tar /
 * unzip. `src` is a controller file (role files/, playbook dir), uploaded to a temporary file and removed after,
 * or with `remote_src: yes` a file on the host. No change when `creates` exists, or when dest already holds
 * every entry of the archive (same type; files of the same size) — the archive is listed (on the controller or
 * the host) and dest looked at in one probe.
 *
 * Returns: dest, src, handler (TarArchive / ZipArchive), files (with list_files).
 */
export interface UnarchiveArgs {
  src: string;
  dest: string;
  remote_src?: boolean;
  copy?: boolean;
  creates?: string;
  extra_opts?: string | string[];
  mode?: string | number;
  owner?: string;
  group?: string;
  list_files?: boolean;
  exclude?: string | string[];
  keep_newer?: boolean;
}

export const unarchiveSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: { type: 'string', minLength: 1 },
    dest: { type: 'string', minLength: 1 },
    remote_src: { type: 'boolean' },
    copy: { type: 'boolean' },
    creates: { type: 'string', minLength: 1 },
    extra_opts: listSchema,
    mode: { type: ['string', 'integer'] },
    owner: { type: 'string', minLength: 1 },
    group: { type: 'string', minLength: 1 },
    list_files: { type: 'boolean' },
    exclude: listSchema,
    keep_newer: { type: 'boolean' },
  },
};

async function localMagic(path: string): Promise<string> {
  const f = await open(path, 'r');
  try {
    const b = Buffer.alloc(4);
    await f.read(b, 0, 4, 0);
    return b.toString('hex');
  } finally {
    await f.close();
  }
}

/** The extraction command for the archive at `arch` (a shell word), then mode/owner on every extracted entry. */
function extractCommand(format: ArchiveFormat, arch: string, a: UnarchiveArgs, mode: string | undefined): string {
  const dq = shellQuote(a.dest);
  const extra = asList(a.extra_opts);
  const excl = asList(a.exclude);
  const x =
    format === 'zip'
      ? `unzip -o ${extra.length ? `${shellJoin(extra)} ` : ''}${arch} ${excl.length ? `-x ${shellJoin(excl)} ` : ''}-d ${dq}`
      : `tar -x ${a.keep_newer ? '--keep-newer-files ' : ''}-f ${arch} -C ${dq}${excl.map((e) => ` --exclude=${shellQuote(e)}`).join('')}${extra.length ? ` ${shellJoin(extra)}` : ''}`;
  const parts = [x];
  const who = `${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}`;
  if (mode !== undefined || who) {
    const names = format === 'zip' ? `unzip -Z1 ${arch}` : `tar -tf ${arch}`;
    const strip = stripOf(extra);
    const cut = format === 'tar' && strip > 0 ? ` | sed -e 's|^\\./||' | cut -d/ -f${strip + 1}- | grep -v '^$'` : '';
    const each = [mode !== undefined ? `chmod ${shellQuote(mode)} -- "$p"` : '', who ? `chown -h ${shellQuote(who)} -- "$p"` : '']
      .filter(Boolean)
      .join(' && ');
    parts.push(`${names}${cut} | (cd ${dq} && while IFS= read -r p; do [ -e "$p" ] || [ -L "$p" ] || continue; ${each} || exit 1; done)`);
  }
  return parts.join(' && ');
}

async function planUnarchive(ctx: ModuleContext<UnarchiveArgs>): Promise<Operation> {
  const a = ctx.args;
  const remote = a.remote_src ?? (a.copy === undefined ? false : !a.copy);
  const m = modeArg('unarchive', ctx, a.mode);
  const mode = m === undefined ? undefined : m.kind === 'octal' ? formatMode(m.value) : m.text;
  const base = { dest: a.dest, src: a.src };
  if (a.creates !== undefined) {
    const r = await probe(ctx, `test -e ${shellQuote(a.creates)}`);
    if (r.rc === 0) return { changed: false, steps: [], result: { ...base, changed: false, skipped: false, msg: `skipped, since ${a.creates} exists` } };
  }
  const d = await probe(ctx, `test -d ${shellQuote(a.dest)}`);
  if (d.rc !== 0) return missingNow(ctx, `unarchive: destination ${a.dest} is not a directory`, base, `${a.dest} does not exist`);

  let format: ArchiveFormat;
  let listing: string;
  let local: string | undefined;
  if (remote) {
    const q = shellQuote(a.src);
    const mg = await probe(ctx, `test -f ${q} && head -c 4 -- ${q} | od -An -tx1`);
    if (mg.rc !== 0) return missingNow(ctx, `unarchive: src ${a.src} is not a file on the host`, base, `${a.src} does not exist`);
    format = formatOfMagic(mg.stdout);
    const l = await probe(ctx, listCommand(format, q));
    if (l.rc !== 0) return failedOp(`unarchive: cannot list ${a.src}: ${(l.stderr || l.stdout).trim()}`, base);
    listing = l.stdout;
  } else {
    const f = await findLocalFile(ctx, 'unarchive', 'files', a.src);
    if (f.isDir) throw argError('unarchive', ctx, `src ${a.src} is a directory`, 'give an archive file (or use copy)');
    local = f.path;
    format = formatOfMagic(await localMagic(local));
    try {
      const [cmd, ...args] = format === 'zip' ? ['unzip', '-l', local] : ['tar', '-tvf', local];
      listing = (await run(cmd as string, args, { maxBuffer: 256 * 1024 * 1024 })).stdout;
    } catch (e) {
      throw argError('unarchive', ctx, `cannot list ${local} on the controller: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const strip = format === 'tar' ? stripOf(asList(a.extra_opts)) : 0;
  const entries = format === 'zip' ? parseZipListing(listing, strip) : parseTarListing(listing, strip);
  const kept = entries.filter((e) => !asList(a.exclude).some((x) => e.name === x || e.name.startsWith(`${x.replace(/\/$/, '')}/`)));
  const st = await probe(ctx, `cd ${shellQuote(a.dest)} && ${STAT_EACH}`, kept.map((e) => `${e.name}\n`).join(''));
  const missing = differing(kept, st.stdout);
  const handler = format === 'zip' ? 'ZipArchive' : 'TarArchive';
  const result = { ...base, handler, ...(a.list_files ? { files: entries.map((e) => e.name) } : {}) };
  if (missing.length === 0) return { changed: false, steps: [], result: { ...result, changed: false } };

  const steps: Step[] = [];
  let arch = shellQuote(a.src);
  if (local !== undefined) {
    const tmp = `/tmp/.lifeboat-unarchive-${(await digestFile(local)).sha256.slice(0, 16)}-${posix.basename(a.src)}`;
    arch = shellQuote(tmp);
    steps.push({ kind: 'put', dest: tmp, src: local, mode: 0o600, description: `upload ${a.src} to ${tmp}` });
  }
  const x = extractCommand(format, arch, a, mode);
  steps.push({
    kind: 'exec',
    cmd: local !== undefined ? `${x}; rc=$?; rm -f -- ${arch}; exit $rc` : x,
    description: `unpack ${a.src} into ${a.dest} (${missing.length} of ${kept.length} entries missing or different)`,
    destructive: `overwrites files under ${a.dest} that the archive holds`,
  });
  return {
    changed: true,
    steps,
    notes: [`not in ${a.dest} as in the archive: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`],
    result,
  };
}

export const unarchiveModule: ModuleDef<UnarchiveArgs> = {
  name: 'unarchive',
  summary: 'Unpack a tar/zip archive (from the controller or the host) with the host tar/unzip',
  schema: unarchiveSchema,
  plan: planUnarchive,
};

registerModule(unarchiveModule);
