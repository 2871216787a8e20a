import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { pipeline as chain, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { LifeboatError } from '../../errors.js';
import type { StoredForm } from './types.js';

export type { StoredForm };

/**
 * Snapshots at rest on the controller, compressed (gzip) and/or encrypted (AES-256-GCM), streamed both ways —
 * never a whole snapshot in memory, never a plain copy on disk when encrypted. File layout of an encrypted one:
 * `LBENC1\n`, a 12-byte IV, the ciphertext, the 16-byte GCM tag. The key comes from a file or an environment
 * variable (32 bytes: raw, 64 hex digits or base64); the manifest records its fingerprint, never the key.
 * Without the key an encrypted backup is lost: keep the key apart from the cluster (docs/etcd.md).
 */

export interface KeyRef {
  key_file?: string;
  key_env?: string;
}

/** The key reference of a module's arguments (a relative key file is relative to the working directory). */
export function keyRefOf(a: { key_file?: string; key_env?: string }): KeyRef {
  return { ...(a.key_file ? { key_file: a.key_file } : {}), ...(a.key_env ? { key_env: a.key_env } : {}) };
}

const MAGIC = Buffer.from('LBENC1\n');
const HEAD = MAGIC.length + 12;
const TAG = 16;

export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update('lifeboat-backup-key\0').update(key).digest('hex').slice(0, 16);
}

function parseKey(text: Buffer, where: string): Buffer {
  const t = text.toString('utf8').trim();
  if (text.length === 32) return text;
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, 'base64');
  if (b.length === 32 && /^[A-Za-z0-9+/]+=*$/.test(t)) return b;
  throw new LifeboatError('E_PREFLIGHT', `${where} does not hold a 32-byte key (raw, 64 hex digits, or base64)`, { hint: 'make one with: head -c 32 /dev/urandom | base64 > backup.key' });
}

/** The backup key, or undefined when none is configured. */
export async function loadKey(ref: KeyRef): Promise<Buffer | undefined> {
  if (ref.key_env) {
    const v = process.env[ref.key_env];
    if (v === undefined || v === '') throw new LifeboatError('E_PREFLIGHT', `the environment variable ${ref.key_env} (the backup key) is not set`);
    return parseKey(Buffer.from(v), `the environment variable ${ref.key_env}`);
  }
  if (ref.key_file) {
    const raw = await readFile(ref.key_file).catch((e: Error) => {
      throw new LifeboatError('E_PREFLIGHT', `cannot read the backup key file ${ref.key_file}: ${e.message}`);
    });
    return parseKey(raw, `the key file ${ref.key_file}`);
  }
  return undefined;
}

function encrypter(key: Buffer): Transform {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  let head = false;
  const start = (t: Transform) => {
    if (!head) t.push(Buffer.concat([MAGIC, iv]));
    head = true;
  };
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      start(this);
      cb(null, c.update(chunk));
    },
    flush(cb) {
      start(this);
      this.push(c.final());
      this.push(c.getAuthTag());
      cb();
    },
  });
}

/** Encodes a plain snapshot into `<plain>[.gz][.enc]` (written as .partial, renamed when complete). */
export async function encodeSnapshot(plain: string, opts: { gzip: boolean; key?: Buffer }): Promise<StoredForm> {
  const out = `${plain}${opts.gzip ? '.gz' : ''}${opts.key ? '.enc' : ''}`;
  const tmp = `${out}.partial`;
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    const stages = [createReadStream(plain), ...(opts.gzip ? [createGzip()] : []), ...(opts.key ? [encrypter(opts.key)] : []), tap, createWriteStream(tmp, { mode: 0o600 })];
    await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const { size } = await stat(out);
  return {
    file: out.slice(out.lastIndexOf('/') + 1),
    size,
    sha256: hash.digest('hex'),
    ...(opts.gzip ? { compression: 'gzip' as const } : {}),
    ...(opts.key ? { encryption: { cipher: 'aes-256-gcm' as const, key_fingerprint: keyFingerprint(opts.key) } } : {}),
  };
}

/** The plain snapshot bytes of a stored file, streamed (a wrong key or a changed file fails at the end: GCM). */
export async function openDecoded(file: string, form: StoredForm | undefined, key: Buffer | undefined): Promise<Readable> {
  if (!form?.encryption && !form?.compression) return createReadStream(file);
  const stages: Array<NodeJS.ReadableStream | NodeJS.ReadWriteStream> = [];
  if (form.encryption) {
    if (!key) throw new LifeboatError('E_PREFLIGHT', `${file} is encrypted (key fingerprint ${form.encryption.key_fingerprint}) and no key is given`, { hint: 'set etcd_backup_key_file (or etcd_backup_key_env) to the backup key' });
    if (keyFingerprint(key) !== form.encryption.key_fingerprint) {
      throw new LifeboatError('E_PREFLIGHT', `${file} was encrypted with the key of fingerprint ${form.encryption.key_fingerprint}, not with the one given (${keyFingerprint(key)})`, { hint: 'give the key this backup was made with' });
    }
    const { size } = await stat(file);
    const fh = await open(file, 'r');
    const head = Buffer.alloc(HEAD);
    const tag = Buffer.alloc(TAG);
    try {
      await fh.read(head, 0, HEAD, 0);
      await fh.read(tag, 0, TAG, size - TAG);
    } finally {
      await fh.close();
    }
    if (!head.subarray(0, MAGIC.length).equals(MAGIC) || size < HEAD + TAG) throw new LifeboatError('E_PREFLIGHT', `${file} is not a Lifeboat-encrypted snapshot`);
    const d = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length));
    d.setAuthTag(tag);
    stages.push(createReadStream(file, { start: HEAD, end: size - TAG - 1 }), d);
  } else stages.push(createReadStream(file));
  if (form.compression) stages.push(createGunzip());
  // one chain: an error anywhere (GCM's authentication at the end above all) ends the last stream with it
  return (chain as unknown as (...s: unknown[]) => Readable)(...stages, () => {});
}
