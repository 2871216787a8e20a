import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Connection } from '../../connection/types.js';
import { shellQuote } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import { localSnapshotDigest, manifestPathFor, readManifest } from './local-snapshot.js';
import { keptByPolicy, type RetentionPolicy } from './retention.js';
import type { SnapshotManifest } from './types.js';

/**
 * A backup store on another host, reached through the same SSH connections as everything else
 * (`etcd_backup_store: sftp://HOST/ABSOLUTE/DIR`, HOST an inventory host or one the SSH config knows).
 * Uploads are atomic: the snapshot goes to `<name>.partial`, its sha256 is checked there, it is renamed, and only
 * then is its manifest published (also through a rename) — a reader never sees a manifest without its snapshot.
 */
export interface StoreRef {
  host: string;
  dir: string;
  url: string;
}

export function parseStore(url: string): StoreRef | undefined {
  if (!url) return undefined;
  const m = /^sftp:\/\/([^/]+)(\/.+?)\/*$/.exec(url);
  if (!m?.[1] || !m[2]) {
    throw new LifeboatError('E_MODULE', `etcd_backup_store "${url}" is not sftp://HOST/ABSOLUTE/DIR`, { hint: 'e.g. etcd_backup_store=sftp://backup1/srv/etcd-backups (a local directory is etcd_backup_dir)' });
  }
  return { host: m[1], dir: m[2], url };
}

const q = shellQuote;

async function run(conn: Connection, cmd: string, what: string): Promise<string> {
  const r = await conn.exec(cmd, { timeoutMs: 120_000 });
  if (r.rc !== 0) throw new LifeboatError('E_TASK', `store ${conn.host}: ${what} failed: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}`, { host: conn.host });
  return r.stdout;
}

/** Uploads a stored snapshot and its manifest (local paths) atomically; returns the remote snapshot path. */
export async function uploadToStore(conn: Connection, s: StoreRef, file: string, manifest: SnapshotManifest): Promise<string> {
  const name = basename(file);
  const remote = `${s.dir}/${name}`;
  const sha = manifest.stored?.sha256 ?? manifest.sha256;
  await run(conn, `mkdir -p ${q(s.dir)}`, `mkdir ${s.dir}`);
  await conn.put(file, `${remote}.partial`, { mode: 0o600 });
  await run(conn, `if [ "$(sha256sum < ${q(`${remote}.partial`)} | cut -d' ' -f1)" = ${q(sha)} ]; then mv ${q(`${remote}.partial`)} ${q(remote)}; else rm -f ${q(`${remote}.partial`)}; echo 'the uploaded copy has another sha256' >&2; exit 1; fi`, `upload of ${name}`);
  const mf = `${s.dir}/${basename(manifestPathFor(file))}`;
  await conn.put(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), `${mf}.partial`, { mode: 0o600 });
  await run(conn, `mv ${q(`${mf}.partial`)} ${q(mf)}`, 'publishing the manifest');
  return remote;
}

/** The store's manifests (with the stored file each names). */
export async function listStore(conn: Connection, s: StoreRef): Promise<Array<{ file: string; m: SnapshotManifest }>> {
  const out = await run(conn, `cd ${q(s.dir)} 2>/dev/null || exit 0; for f in *.json; do [ -f "$f" ] && printf '@@M %s\\n' "$(base64 -w0 < "$f")"; done; true`, 'listing');
  const all: Array<{ file: string; m: SnapshotManifest }> = [];
  for (const line of out.split('\n')) {
    const b = /^@@M (\S+)$/.exec(line)?.[1];
    if (!b) continue;
    try {
      const m = JSON.parse(Buffer.from(b, 'base64').toString('utf8')) as SnapshotManifest;
      if (m.file && m.sha256 && m.time) all.push({ file: `${s.dir}/${m.stored?.file ?? m.file}`, m });
    } catch {
      /* not a Lifeboat manifest */
    }
  }
  return all.sort((a, b) => a.m.time.localeCompare(b.m.time));
}

/** Retention on the store: only this cluster's snapshots (by their manifests), the newest always kept. */
export async function pruneStore(conn: Connection, s: StoreRef, cluster: string, policy: RetentionPolicy): Promise<string[]> {
  const all = (await listStore(conn, s)).filter((x) => x.m.cluster === cluster);
  const keep = keptByPolicy(all.map((x) => ({ file: x.file, time: x.m.time })), policy);
  const drop = all.filter((x) => !keep.has(x.file));
  if (drop.length) await run(conn, `rm -f ${drop.flatMap((d) => [q(d.file), q(`${s.dir}/${basename(manifestPathFor(d.m.file))}`)]).join(' ')}`, 'pruning');
  return drop.map((d) => d.file);
}

/**
 * The newest snapshot of the store (of `cluster` when given), fetched into the local backup directory unless an
 * identical copy is there, and verified against its manifest before it is used. Returns the local path.
 */
export async function fetchNewest(conn: Connection, s: StoreRef, localDir: string, cluster?: string): Promise<string | undefined> {
  const all = (await listStore(conn, s)).filter((x) => cluster === undefined || x.m.cluster === cluster);
  const newest = all[all.length - 1];
  if (!newest) return undefined;
  await mkdir(localDir, { recursive: true });
  const local = join(localDir, basename(newest.file));
  const want = newest.m.stored?.sha256 ?? newest.m.sha256;
  const have = await localSnapshotDigest(local).catch(() => undefined);
  if (have?.sha256 !== want) {
    await conn.get(newest.file, local);
    const got = await localSnapshotDigest(local);
    if (got.sha256 !== want) throw new LifeboatError('E_PREFLIGHT', `${s.url}: the fetched ${basename(local)} has sha256 ${got.sha256}, its manifest says ${want}`, { hint: 'the copy in the store is damaged: pick another (lifeboat snapshots verify)' });
  }
  if (!(await readManifest(local).catch(() => undefined))) await writeFile(manifestPathFor(local), `${JSON.stringify(newest.m, null, 2)}\n`);
  return local;
}

