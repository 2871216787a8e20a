import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
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
/** sha256 of a snapshot file and whether its `snapshot save` trailer holds (one streamed read). */
export async function localSnapshotDigest(file: string): Promise<{ sha256: string; trailerOk: boolean; size: number }> {
  return digestStream(createReadStream(file));
}

/** sha256 of a stream and whether its last 32 bytes are the sha256 of the rest (etcd's `snapshot save` trailer). */
export async function digestStream(s: Readable): Promise<{ sha256: string; trailerOk: boolean; size: number }> {
  const whole = createHash('sha256');
  const body = createHash('sha256');
  let tail = Buffer.alloc(0);
  let size = 0;
  for await (const chunk of s as AsyncIterable<Buffer>) {
    whole.update(chunk);
    size += chunk.length;
    const all = Buffer.concat([tail, chunk]);
    const cut = Math.max(0, all.length - 32);
    body.update(all.subarray(0, cut));
    tail = all.subarray(cut);
  }
  return { sha256: whole.digest('hex'), trailerOk: size > 32 && tail.equals(body.digest()), size };
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
