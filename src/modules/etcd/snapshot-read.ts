import type { Readable } from 'node:stream';
import { LifeboatError } from '../../errors.js';
import { digestStream, localSnapshotDigest, plainNameOf, readManifest } from './local-snapshot.js';
import { type KeyRef, loadKey, openDecoded } from './snapshot-codec.js';
import type { SnapshotManifest } from './types.js';

/** A snapshot on the controller as the restore and the drill read it: plain bytes, whatever its stored form. */
export interface ControllerSnapshot {
  file: string;
  manifest?: SnapshotManifest;
  /** Of the plain snapshot (decoded when stored compressed or encrypted). */
  digest: { sha256: string; trailerOk: boolean; size: number };
  /** Compressed and/or encrypted at rest (a plain copy never touches the controller's disk). */
  encoded: boolean;
  /** The plain snapshot's file name (what it is called on the nodes). */
  plainName: string;
  /** A fresh stream of the plain bytes (decrypted and decompressed on the fly). */
  open: () => Promise<Readable>;
}

export async function readControllerSnapshot(file: string, keyRef: KeyRef, host?: string): Promise<ControllerSnapshot> {
  const manifest = await readManifest(file);
  const form = manifest?.stored;
  const encoded = !!(form?.compression || form?.encryption);
  const key = form?.encryption ? await loadKey(keyRef) : undefined;
  const open = () => openDecoded(file, encoded ? form : undefined, key);
  let digest: ControllerSnapshot['digest'];
  try {
    digest = encoded ? await digestStream(await open()) : await localSnapshotDigest(file);
  } catch (e) {
    if (e instanceof LifeboatError) throw e;
    throw new LifeboatError('E_PREFLIGHT', `cannot read the snapshot ${file}${encoded ? ' (decoding it)' : ''}: ${(e as Error).message}`, {
      ...(host ? { host } : {}),
      hint: form?.encryption ? 'an encrypted snapshot that fails its authentication was changed, or the key is not the one it was made with' : 'pick another snapshot from the backup directory',
    });
  }
  return { file, ...(manifest ? { manifest } : {}), digest, encoded, plainName: plainNameOf(file), open };
}
