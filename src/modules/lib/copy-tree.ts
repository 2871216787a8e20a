import { readdir, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { shellQuote } from '../../connection/quote.js';
import { argError, probe } from '../common.js';
import { digestFile } from '../local-files.js';
import { formatMode, type Mode, targetMode } from '../mode.js';
import { sameOwner } from './remote-stat.js';
import type { ModuleContext, Operation, Step } from '../types.js';

/**
 * copy of a controller directory: `src: dir/` copies what is inside dir into dest, `src: dir` copies dir itself
 * into dest (as rsync and Ansible do). One probe reads the sha256, mode and owner of every remote file; only
 * missing or different files are uploaded, missing directories are created in one command.
 */
export interface TreeSpec {
  src: string;
  localDir: string;
  dest: string;
  mode?: Mode;
  directoryMode?: Mode;
  owner?: string;
  group?: string;
  /** false: leave existing files' content alone. */
  force?: boolean;
}

interface LocalFile {
  rel: string;
  abs: string;
  sha256: string;
}

async function walk(root: string, rel = ''): Promise<{ files: LocalFile[]; dirs: string[] }> {
  const out = { files: [] as LocalFile[], dirs: [] as string[] };
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    const abs = join(root, r);
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(abs)).isDirectory());
    if (isDir) {
      out.dirs.push(r);
      const sub = await walk(root, r);
      out.files.push(...sub.files);
      out.dirs.push(...sub.dirs);
    } else {
      out.files.push({ rel: r, abs, sha256: (await digestFile(abs)).sha256 });
    }
  }
  return out;
}

interface RemoteFile {
  sha256: string;
  mode: number;
  owner: string;
  group: string;
  uid: number;
  gid: number;
}

function probeCommand(base: string, dirs: string[], files: LocalFile[]): string {
  const b = shellQuote(base);
  const parts = [`b=${b}`, 'if [ -d "$b" ]; then echo D; fi'];
  dirs.forEach((d, i) => {
    parts.push(`if [ -d "$b"/${shellQuote(d)} ]; then echo D${i}; fi`);
  });
  files.forEach((f, i) => {
    const p = `"$b"/${shellQuote(f.rel)}`;
    parts.push(
      `if [ -f ${p} ]; then s=$(sha256sum -- ${p}) && echo "F${i} \${s%% *} $(stat -c '%a %u %g %U %G' -- ${p})"; fi`,
    );
  });
  parts.push('true');
  return parts.join('; ');
}

export async function planCopyTree(ctx: ModuleContext<unknown>, t: TreeSpec): Promise<Operation> {
  const base = t.src.endsWith('/') ? t.dest : posix.join(t.dest, basename(t.localDir));
  const { files, dirs } = await walk(t.localDir);
  const r = await probe(ctx, probeCommand(base, dirs, files));
  if (r.rc !== 0) throw argError('copy', ctx, `could not read ${base}: ${r.stderr.trim()}`);
  const haveDirs = new Set<number>();
  let haveBase = false;
  const remote = new Map<number, RemoteFile>();
  for (const line of r.stdout.split('\n')) {
    if (line === 'D') haveBase = true;
    let m = /^D(\d+)$/.exec(line);
    if (m) haveDirs.add(Number(m[1]));
    m = /^F(\d+) ([0-9a-f]{64}) ([0-7]+) (\d+) (\d+) (\S+) (\S+)$/.exec(line);
    if (m) {
      remote.set(Number(m[1]), {
        sha256: m[2] as string,
        mode: Number.parseInt(m[3] as string, 8),
        uid: Number(m[4]),
        gid: Number(m[5]),
        owner: m[6] as string,
        group: m[7] as string,
      });
    }
  }
  const steps: Step[] = [];
  const missing = [
    ...(haveBase ? [] : [base]),
    ...dirs.filter((_, i) => !haveDirs.has(i)).map((d) => posix.join(base, d)),
  ];
  if (missing.length) {
    const mk = `mkdir -p -- ${missing.map(shellQuote).join(' ')}`;
    const dm = t.directoryMode ? targetMode(t.directoryMode, undefined, true) : undefined;
    steps.push({
      kind: 'exec',
      cmd: dm === undefined ? mk : `${mk} && chmod ${formatMode(dm)} -- ${missing.map(shellQuote).join(' ')}`,
      description: `create ${missing.length} director${missing.length === 1 ? 'y' : 'ies'} under ${base}`,
    });
  }
  const who = `${t.owner ?? ''}${t.group !== undefined ? `:${t.group}` : ''}`;
  let changedFiles = 0;
  files.forEach((f, i) => {
    const dest = posix.join(base, f.rel);
    const cur = remote.get(i);
    const want = t.mode ? targetMode(t.mode, cur?.mode, false) : undefined;
    if (!cur || (cur.sha256 !== f.sha256 && t.force !== false)) {
      changedFiles++;
      const mode = want ?? cur?.mode;
      steps.push({
        kind: 'put',
        dest,
        src: f.abs,
        ...(mode !== undefined ? { mode } : {}),
        ...(t.owner !== undefined ? { owner: t.owner } : {}),
        ...(t.group !== undefined ? { group: t.group } : {}),
        description: `${cur ? 'replace' : 'create'} ${dest}`,
        ...(cur ? { destructive: `replaces ${dest}` } : {}),
      });
      return;
    }
    if (want !== undefined && want !== cur.mode) {
      steps.push({
        kind: 'exec',
        cmd: `chmod ${formatMode(want)} -- ${shellQuote(dest)}`,
        description: `mode of ${dest}`,
      });
    }
    if (!sameOwner(t.owner, cur.owner, cur.uid) || !sameOwner(t.group, cur.group, cur.gid)) {
      steps.push({
        kind: 'exec',
        cmd: `chown ${shellQuote(who)} -- ${shellQuote(dest)}`,
        description: `owner of ${dest}`,
      });
    }
  });
  return {
    changed: steps.length > 0,
    steps,
    notes: [`${files.length} file(s) under ${t.src}: ${changedFiles} to upload`],
    result: { dest: base, src: t.localDir, files: files.length },
  };
}
