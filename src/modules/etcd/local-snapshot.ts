import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { LifeboatError } from '../../errors.js';
import { keptByPolicy, type RetentionPolicy } from './retention.js';
import type { SnapshotManifest } from './types.js';

/** Controller-side snapshot files: sha256, the `snapshot save` trailer, manifests, retention. */

/** A controller path as the user typed it: relative paths are relative to the working directory. */
export function resolveLocal(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/** A snapshot file as stored: `.db`, or compressed / encrypted `.db.gz`, `.db.enc`, `.db.gz.enc`. */
export const STORED_SNAPSHOT = /\.db(\.gz)?(\.enc)?$/;

/** A snapshot's plain name (what it is called on the nodes): `x.db` of `x.db.gz.enc`. */
export function plainNameOf(file: string): string {
  return basename(file).replace(/(\.gz)?(\.enc)?$/, '');
}

export function manifestPathFor(db: string): string {
  return `${db.replace(STORED_SNAPSHOT, '')}.json`;
}

/** sha256 of the whole file, and whether the last 32 bytes are the sha256 of the rest. */
export async function localSnapshotDigest(file: string): Promise<{ sha256: string; trailerOk: boolean; size: number }> {
  const { size } = await stat(file);
  const whole = createHash('sha256');
  const body = createHash('sha256');
  let pos = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    const bodyEnd = size - 32;
    if (pos < bodyEnd) body.update(chunk.subarray(0, Math.max(0, Math.min(chunk.length, bodyEnd - pos))));
    pos += chunk.length;
  }
  let trailerOk = false;
  if (size > 32) {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(32);
      await fh.read(buf, 0, 32, size - 32);
      trailerOk = buf.equals(body.digest());
    } finally {
      await fh.close();
    }
  }
  return { sha256: whole.digest('hex'), trailerOk, size };
}

export async function readManifest(db: string): Promise<SnapshotManifest | undefined> {
  try {
    return JSON.parse(await readFile(manifestPathFor(db), 'utf8')) as SnapshotManifest;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LifeboatError('E_PREFLIGHT', `cannot read the manifest ${manifestPathFor(db)}: ${(e as Error).message}`, {
      hint: 'fix or remove the manifest; Lifeboat writes it next to every snapshot it takes',
    });
  }
}

/** The newest snapshot (by manifest time) in a backup directory, or undefined. */
export async function newestSnapshot(dir: string): Promise<string | undefined> {
  const all = await listSnapshots(dir);
  return all[all.length - 1]?.file;
}

export async function listSnapshots(dir: string, cluster?: string): Promise<Array<{ file: string; m: SnapshotManifest }>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: Array<{ file: string; m: SnapshotManifest }> = [];
  for (const n of names.filter((x) => STORED_SNAPSHOT.test(x))) {
    const file = join(dir, n);
    const m = await readManifest(file).catch(() => undefined);
    if (m && (cluster === undefined || m.cluster === cluster)) out.push({ file, m });
  }
  return out.sort((a, b) => a.m.time.localeCompare(b.m.time) || a.file.localeCompare(b.file));
}

/**
 * Keeps what the policy keeps of a cluster's snapshots (a number: the newest N) and removes the rest with their
 * manifests — only snapshots whose manifest names this cluster (Lifeboat's own); returns the files removed.
 */
export async function applyRetention(dir: string, cluster: string, policy: number | RetentionPolicy): Promise<string[]> {
  const p = typeof policy === 'number' ? { last: policy } : policy;
  const all = await listSnapshots(dir, cluster);
  const keep = keptByPolicy(all.map((s) => ({ file: s.file, time: s.m.time })), p);
  const drop = all.filter((s) => !keep.has(s.file));
  for (const d of drop) {
    await unlink(d.file);
    await unlink(manifestPathFor(d.file)).catch(() => undefined);
  }
  return drop.map((d) => d.file);
}

export type { RetentionPolicy };

export function snapshotFileName(cluster: string, member: string, when: Date): string {
  const ts = when.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${cluster}-${member}-${ts}.db`;
}

export { basename, dirname };
