import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LifeboatError } from '../../errors.js';
import { localSnapshotDigest, manifestPathFor, readManifest } from './local-snapshot.js';
import { keptByPolicy, type RetentionPolicy } from './retention.js';
import type { SnapshotManifest } from './types.js';

/**
 * A backup store off the cluster (sftp://HOST/DIR, s3://BUCKET/PREFIX), used from the controller. Every store
 * publishes a snapshot's manifest only after the snapshot itself is in place and its sha256 checked there, and
 * lists only snapshots whose manifest exists — so a reader never takes a partial upload.
 */
export interface StoreEntry {
  /** The store's name of the stored snapshot (a path on the host, an object URL). */
  file: string;
  m: SnapshotManifest;
}

export interface SnapshotStore {
  readonly url: string;
  /** Snapshots with a published manifest, oldest first. */
  list(): Promise<StoreEntry[]>;
  /** Uploads a stored snapshot (a local file) and then its manifest, atomically; returns the store's name of it. */
  put(localFile: string, manifest: SnapshotManifest, opts?: { signal?: AbortSignal }): Promise<string>;
  /** Copies a stored snapshot to a local file (streamed). */
  download(file: string, dest: string): Promise<void>;
  /** sha256 and size of what is stored, read in the store (or streamed from it). */
  digest(file: string): Promise<{ sha256: string; size: number }>;
  /** Removes snapshots, each manifest before its snapshot. */
  remove(entries: StoreEntry[]): Promise<void>;
}

/** What a store's copy must hash to: the stored form's sha256 when compressed/encrypted, else the snapshot's. */
export const storedSha = (m: SnapshotManifest): string => m.stored?.sha256 ?? m.sha256;
const storedSize = (m: SnapshotManifest): number | undefined => m.stored?.size;

export const byTime = (a: StoreEntry, b: StoreEntry): number => a.m.time.localeCompare(b.m.time) || a.file.localeCompare(b.file);

/** Problems of one stored snapshot against its manifest (empty: it verifies). */
export async function verifyInStore(store: SnapshotStore, e: StoreEntry): Promise<string[]> {
  try {
    const d = await store.digest(e.file);
    const problems: string[] = [];
    if (d.sha256 !== storedSha(e.m)) problems.push(`sha256 ${d.sha256} in ${store.url} differs from the manifest's ${storedSha(e.m)}`);
    const size = storedSize(e.m);
    if (size !== undefined && d.size !== size) problems.push(`${d.size} bytes stored, the manifest records ${size}`);
    return problems;
  } catch (err) {
    return [`cannot read it in ${store.url}: ${(err as Error).message}`];
  }
}

export interface StorePrunePlan {
  keep: StoreEntry[];
  remove: StoreEntry[];
  /** The newest kept snapshot and what is wrong with it (empty: it verified). */
  anchor?: { entry: StoreEntry; problems: string[] };
}

/** Retention on a store: only this cluster's snapshots (by their manifests), the newest always kept and verified. */
export async function planStorePrune(store: SnapshotStore, cluster: string, policy: RetentionPolicy, verified?: string): Promise<StorePrunePlan> {
  const all = (await store.list()).filter((x) => x.m.cluster === cluster);
  const kept = keptByPolicy(all.map((x) => ({ file: x.file, time: x.m.time })), policy);
  const keep = all.filter((x) => kept.has(x.file));
  const remove = all.filter((x) => !kept.has(x.file));
  const newest = keep[keep.length - 1];
  if (!newest || !remove.length) return { keep, remove, ...(newest ? { anchor: { entry: newest, problems: [] } } : {}) };
  // the newest kept snapshot is read back before anything is removed (unless it was just uploaded and checked)
  const problems = newest.file === verified ? [] : await verifyInStore(store, newest);
  return { keep, remove, anchor: { entry: newest, problems } };
}

export async function applyStorePrune(store: SnapshotStore, p: StorePrunePlan): Promise<string[]> {
  if (!p.remove.length) return [];
  if (!p.anchor || p.anchor.problems.length) {
    throw new LifeboatError('E_TASK', `${store.url}: the newest snapshot kept (${p.anchor ? basename(p.anchor.entry.file) : 'none'}) does not verify${p.anchor ? `: ${p.anchor.problems.join('; ')}` : ''}: nothing removed`);
  }
  await store.remove(p.remove);
  return p.remove.map((x) => x.file);
}

export async function pruneStore(store: SnapshotStore, cluster: string, policy: RetentionPolicy, verified?: string): Promise<string[]> {
  return applyStorePrune(store, await planStorePrune(store, cluster, policy, verified));
}

/**
 * The newest snapshot of the store (of `cluster` when given), fetched into the local backup directory unless an
 * identical copy is there (through a `.partial` file), and verified against its manifest before it is used.
 */
export async function fetchNewest(store: SnapshotStore, localDir: string, cluster?: string): Promise<string | undefined> {
  const all = (await store.list()).filter((x) => cluster === undefined || x.m.cluster === cluster);
  const newest = all[all.length - 1];
  if (!newest) return undefined;
  await mkdir(localDir, { recursive: true });
  const local = join(localDir, basename(newest.file));
  const want = storedSha(newest.m);
  const have = await localSnapshotDigest(local).catch(() => undefined);
  if (have?.sha256 !== want) {
    const partial = `${local}.partial`;
    try {
      await store.download(newest.file, partial);
      const got = await localSnapshotDigest(partial);
      if (got.sha256 !== want) throw new LifeboatError('E_PREFLIGHT', `${store.url}: the fetched ${basename(local)} has sha256 ${got.sha256}, its manifest says ${want}`, { hint: 'the copy in the store is damaged: pick another (lifeboat snapshots verify)' });
      await rename(partial, local);
    } finally {
      await rm(partial, { force: true });
    }
  }
  if (!(await readManifest(local).catch(() => undefined))) await writeFile(manifestPathFor(local), `${JSON.stringify(newest.m, null, 2)}\n`);
  return local;
}
