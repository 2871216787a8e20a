import { createReadStream, createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { LifeboatError } from '../../errors.js';
import { digestStream, manifestPathFor } from './local-snapshot.js';
import { parseS3, type S3Options, type S3Ref } from './s3-ref.js';
import { byTime, type SnapshotStore, type StoreEntry, storedSha } from './store.js';
import type { SnapshotManifest } from './types.js';

/**
 * An S3-compatible store (`etcd_backup_store: s3://BUCKET/PREFIX`), reached from the controller. The snapshot is
 * uploaded streamed (multipart, at most `queueSize × partSize` bytes in memory), read back streamed and its sha256
 * checked, and only then its manifest published (one PUT: S3 makes an object visible whole or not at all). A
 * listing takes only snapshots whose manifest exists, so an upload cut halfway — never completed, or completed
 * but not verified — is never taken. Requests time out and are retried (`request_timeout`, `max_attempts`).
 */
export { parseS3, type S3Options, type S3Ref } from './s3-ref.js';

export class S3Store implements SnapshotStore {
  readonly url: string;
  readonly #ref: S3Ref;
  readonly #client: S3Client;
  readonly #partSize: number;

  constructor(url: string, o: S3Options = {}) {
    this.#ref = parseS3(url);
    this.url = url.replace(/\/+$/, '');
    if (!!o.access_key_id !== !!o.secret_access_key) throw new LifeboatError('E_MODULE', `${url}: give both an access key id and a secret access key, or neither (the standard AWS chain)`);
    // this SDK release supports Node 20; its notice about later releases would land in every run's output
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.#client = new S3Client({
      region: o.region || process.env.AWS_REGION || 'us-east-1',
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      forcePathStyle: o.path_style === true,
      ...(o.access_key_id && o.secret_access_key ? { credentials: { accessKeyId: o.access_key_id, secretAccessKey: o.secret_access_key } } : {}),
      maxAttempts: o.max_attempts ?? 5,
      // throwOnRequestTimeout: without it this SDK only logs a warning when requestTimeout passes, and keeps waiting
      requestHandler: { requestTimeout: (o.request_timeout ?? 300) * 1000, connectionTimeout: 10_000, throwOnRequestTimeout: true },
      // streamed uploads of unknown length: no whole-body checksum is required of them
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    this.#partSize = Math.max(5, o.part_size_mib ?? 16) * 1024 * 1024;
  }

  #key(name: string): string {
    return this.#ref.prefix ? `${this.#ref.prefix}/${name}` : name;
  }
  #keyOf(file: string): string {
    const base = `s3://${this.#ref.bucket}/`;
    if (!file.startsWith(base)) throw new LifeboatError('E_MODULE', `${file} is not in ${this.url}`);
    return file.slice(base.length);
  }
  #urlOf(key: string): string {
    return `s3://${this.#ref.bucket}/${key}`;
  }
  #fail(what: string, e: unknown): never {
    if (e instanceof LifeboatError) throw e;
    const err = e as Error & { $metadata?: { attempts?: number } };
    const attempts = err.$metadata?.attempts;
    throw new LifeboatError('E_TASK', `${this.url}: ${what} failed: ${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}${attempts ? ` (after ${attempts} attempt${attempts > 1 ? 's' : ''})` : ''}`, {
      hint: 'check etcd_backup_s3_endpoint, _region, _path_style and the credentials; etcd_backup_s3_request_timeout and _max_attempts govern timeouts and retries',
    });
  }

  async #open(key: string): Promise<Readable> {
    const r = await this.#client.send(new GetObjectCommand({ Bucket: this.#ref.bucket, Key: key }));
    if (!r.Body) throw new Error(`no body for ${key}`);
    return r.Body as Readable;
  }

  async list(): Promise<StoreEntry[]> {
    const keys = new Set<string>();
    try {
      let token: string | undefined;
      const prefix = this.#ref.prefix ? `${this.#ref.prefix}/` : '';
      do {
        const r = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#ref.bucket, Prefix: prefix, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) }));
        for (const o of r.Contents ?? []) if (o.Key) keys.add(o.Key);
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
      const out: StoreEntry[] = [];
      for (const key of [...keys].filter((k) => k.endsWith('.json'))) {
        let m: SnapshotManifest;
        try {
          const chunks: Buffer[] = [];
          for await (const c of await this.#open(key)) chunks.push(Buffer.from(c as Buffer));
          m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SnapshotManifest;
        } catch {
          continue; // not a Lifeboat manifest
        }
        if (!m.file || !m.sha256 || !m.time) continue;
        const snap = this.#key(m.stored?.file ?? m.file);
        if (keys.has(snap)) out.push({ file: this.#urlOf(snap), m });
      }
      return out.sort(byTime);
    } catch (e) {
      this.#fail('listing', e);
    }
  }

  async put(localFile: string, manifest: SnapshotManifest, opts: { signal?: AbortSignal } = {}): Promise<string> {
    const name = basename(localFile);
    const key = this.#key(name);
    const abortController = new AbortController();
    const onAbort = () => abortController.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const up = new Upload({
        client: this.#client,
        params: { Bucket: this.#ref.bucket, Key: key, Body: createReadStream(localFile) },
        partSize: this.#partSize,
        queueSize: 2,
        leavePartsOnError: false, // a failed multipart upload is aborted: its parts are removed, no object appears
        abortController,
      });
      await up.done();
    } catch (e) {
      this.#fail(`upload of ${name}`, e);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    // the proof: what the store holds, read back, has the sha256 the manifest records
    const want = storedSha(manifest);
    let got: string;
    try {
      got = (await digestStream(await this.#open(key))).sha256;
    } catch (e) {
      this.#fail(`reading back ${name}`, e);
    }
    if (got !== want) {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.#ref.bucket, Key: key })).catch(() => undefined);
      throw new LifeboatError('E_TASK', `${this.url}: the uploaded ${name} reads back with sha256 ${got}, the manifest says ${want}: removed, manifest not published`);
    }
    try {
      await this.#client.send(new PutObjectCommand({ Bucket: this.#ref.bucket, Key: this.#key(basename(manifestPathFor(name))), Body: `${JSON.stringify(manifest, null, 2)}\n`, ContentType: 'application/json' }));
    } catch (e) {
      this.#fail('publishing the manifest', e);
    }
    return this.#urlOf(key);
  }

  async download(file: string, dest: string): Promise<void> {
    try {
      await pipeline(await this.#open(this.#keyOf(file)), createWriteStream(dest, { mode: 0o600 }));
    } catch (e) {
      this.#fail(`download of ${basename(file)}`, e);
    }
  }

  async digest(file: string): Promise<{ sha256: string; size: number }> {
    try {
      const d = await digestStream(await this.#open(this.#keyOf(file)));
      return { sha256: d.sha256, size: d.size };
    } catch (e) {
      this.#fail(`reading ${basename(file)}`, e);
    }
  }

  async remove(entries: StoreEntry[]): Promise<void> {
    try {
      for (const e of entries) {
        const key = this.#keyOf(e.file);
        await this.#client.send(new DeleteObjectCommand({ Bucket: this.#ref.bucket, Key: this.#key(basename(manifestPathFor(key))) }));
        await this.#client.send(new DeleteObjectCommand({ Bucket: this.#ref.bucket, Key: key }));
      }
    } catch (e) {
      this.#fail('pruning', e);
    }
  }

  destroy(): void {
    this.#client.destroy();
  }
}
