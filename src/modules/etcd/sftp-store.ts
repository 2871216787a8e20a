import { basename } from 'node:path';
import type { Connection } from '../../connection/types.js';
import { shellQuote } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import { manifestPathFor } from './local-snapshot.js';
import { byTime, type SnapshotStore, type StoreEntry } from './store.js';
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
    throw new LifeboatError('E_MODULE', `etcd_backup_store "${url}" is not sftp://HOST/ABSOLUTE/DIR or s3://BUCKET/PREFIX`, { hint: 'e.g. etcd_backup_store=sftp://backup1/srv/etcd-backups or s3://backups/etcd (a local directory is etcd_backup_dir)' });
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
export async function listStore(conn: Connection, s: StoreRef): Promise<StoreEntry[]> {
  const out = await run(conn, `cd ${q(s.dir)} 2>/dev/null || exit 0; for f in *.json; do [ -f "$f" ] && printf '@@M %s\\n' "$(base64 -w0 < "$f")"; done; true`, 'listing');
  const all: StoreEntry[] = [];
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
  return all.sort(byTime);
}

/** The sftp store as a SnapshotStore (store.ts): retention, fetch and verify are the same for every store. */
export class SftpStore implements SnapshotStore {
  readonly url: string;
  constructor(
    readonly conn: Connection,
    readonly ref: StoreRef,
  ) {
    this.url = ref.url.replace(/\/+$/, '');
  }
  list(): Promise<StoreEntry[]> {
    return listStore(this.conn, this.ref);
  }
  put(localFile: string, manifest: SnapshotManifest): Promise<string> {
    return uploadToStore(this.conn, this.ref, localFile, manifest);
  }
  download(file: string, dest: string): Promise<void> {
    return this.conn.get(file, dest);
  }
  async digest(file: string): Promise<{ sha256: string; size: number }> {
    const out = await run(this.conn, `sha256sum < ${q(file)} | cut -d' ' -f1 && stat -c %s ${q(file)}`, `reading ${basename(file)}`);
    const [sha256 = '', size = ''] = out.trim().split('\n');
    return { sha256, size: Number(size) };
  }
  async remove(entries: StoreEntry[]): Promise<void> {
    if (!entries.length) return;
    const manifests = entries.map((d) => q(`${this.ref.dir}/${basename(manifestPathFor(d.m.file))}`));
    await run(this.conn, `rm -f ${manifests.join(' ')} && rm -f ${entries.map((d) => q(d.file)).join(' ')}`, 'pruning');
  }
}
