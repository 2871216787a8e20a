import { unlink } from 'node:fs/promises';
import { listSnapshots, localSnapshotDigest, manifestPathFor } from './local-snapshot.js';
import { keptByPolicy, type RetentionPolicy } from './retention.js';
import type { SnapshotManifest } from './types.js';

/**
 * The snapshots of a backup directory (a store): each `.db` with a Lifeboat manifest; verified against it (size
 * and sha256 of what is stored, etcd's sha256 trailer); pruned by a retention policy — only snapshots whose
 * manifest names the cluster, and never so that no verified snapshot is left.
 */
export interface StoredSnapshot {
  file: string;
  manifest: SnapshotManifest;
}

export interface Verified extends StoredSnapshot {
  ok: boolean;
  problems: string[];
}

export async function storeSnapshots(dir: string, cluster?: string): Promise<StoredSnapshot[]> {
  return (await listSnapshots(dir, cluster)).map((s) => ({ file: s.file, manifest: s.m }));
}

export async function verifySnapshot(s: StoredSnapshot): Promise<Verified> {
  const problems: string[] = [];
  try {
    const form = s.manifest.stored;
    if (form && (form.compression || form.encryption)) {
      // stored compressed/encrypted: what is stored is checked against the manifest's record of it (no key needed)
      const d = await localSnapshotDigest(s.file);
      if (d.sha256 !== form.sha256) problems.push(`stored sha256 ${d.sha256} differs from the manifest's ${form.sha256}`);
      if (d.size !== form.size) problems.push(`${d.size} bytes stored, the manifest records ${form.size}`);
      return { ...s, ok: problems.length === 0, problems };
    }
    const d = await localSnapshotDigest(s.file);
    if (d.sha256 !== s.manifest.sha256) problems.push(`sha256 ${d.sha256} differs from the manifest's ${s.manifest.sha256}`);
    if (!d.trailerOk) problems.push("etcd's sha256 trailer does not match the content (truncated or corrupted)");
    if (s.manifest.total_size && d.size < s.manifest.total_size) problems.push(`${d.size} bytes, smaller than the ${s.manifest.total_size} the manifest records`);
  } catch (e) {
    problems.push(`cannot read it: ${(e as Error).message}`);
  }
  return { ...s, ok: problems.length === 0, problems };
}

export interface PrunePlan {
  keep: StoredSnapshot[];
  remove: StoredSnapshot[];
  /** The newest kept snapshot, verified before anything is removed. */
  anchor?: Verified;
}

export async function planPrune(dir: string, cluster: string, policy: RetentionPolicy): Promise<PrunePlan> {
  const all = await storeSnapshots(dir, cluster);
  const kept = keptByPolicy(all.map((s) => ({ file: s.file, time: s.manifest.time })), policy);
  const keep = all.filter((s) => kept.has(s.file));
  const remove = all.filter((s) => !kept.has(s.file));
  const newest = keep[keep.length - 1];
  return { keep, remove, ...(newest ? { anchor: await verifySnapshot(newest) } : {}) };
}

/** Removes what the plan removes (snapshot and manifest) — only when its newest kept snapshot verified. */
export async function applyPrune(p: PrunePlan): Promise<string[]> {
  if (p.remove.length && !p.anchor?.ok) {
    throw new Error(`the newest snapshot kept (${p.anchor?.file ?? 'none'}) does not verify${p.anchor ? `: ${p.anchor.problems.join('; ')}` : ''}: nothing removed`);
  }
  for (const s of p.remove) {
    await unlink(s.file);
    await unlink(manifestPathFor(s.file)).catch(() => undefined);
  }
  return p.remove.map((s) => s.file);
}
