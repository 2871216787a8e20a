/**
 * The s3:// store against a real S3 API (s3rver in this process, test/etcd/s3-server.ts): streamed multipart
 * uploads read back and checked before the manifest is published; listings that see only published snapshots;
 * retention by the shared policy that never removes while the newest kept copy does not verify; refusals of a
 * copy damaged in the store, a missing manifest, an upload cut halfway; timeouts retried as configured.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from '../../src/modules/etcd/s3-store.js';
import { fetchNewest, pruneStore, verifyInStore } from '../../src/modules/etcd/store.js';
import type { SnapshotManifest } from '../../src/modules/etcd/types.js';
import { startS3, type TestS3 } from './s3-server.js';

const BUCKET = 'lifeboat-backups';
let s3: TestS3;
let work: string;
const requests: string[] = [];

beforeAll(async () => {
  s3 = await startS3(BUCKET);
  work = await mkdtemp(path.join(tmpdir(), 'lifeboat-s3-test-'));
});
afterAll(async () => {
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

/** A snapshot-like file of `mib` MiB and its manifest (the store checks sha256s; it never reads etcd's format). */
async function snapshot(name: string, time: string, mib = 1, cluster = 'prod'): Promise<{ file: string; m: SnapshotManifest }> {
  const data = randomBytes(mib * 1024 * 1024);
  const file = path.join(work, name);
  await writeFile(file, data);
  const m: SnapshotManifest = { file: name, cluster, member: 'node1', host: 'node1', revision: 1, total_keys: 1, total_size: data.length, hash: 1, sha256: createHash('sha256').update(data).digest('hex'), time };
  return { file, m };
}

function raw(): S3Client {
  const o = s3.options;
  return new S3Client({ endpoint: o.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}
async function keys(prefix: string): Promise<string[]> {
  const r = await raw().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (r.Contents ?? []).map((o) => o.Key ?? '').sort();
}
/** Damages one stored object behind the server's back (s3rver keeps it as KEY._S3rver_object). */
async function damage(key: string): Promise<void> {
  const f = path.join(s3.dir, BUCKET, `${key}._S3rver_object`);
  const b = await readFile(f);
  b[100] = (b[100] ?? 0) ^ 0xff;
  await writeFile(f, b);
}
describe('the s3:// store (s3rver)', () => {
  it('uploads streamed in parts, reads the object back, then publishes its manifest; lists and fetches it', async () => {
    const store = new S3Store(`s3://${BUCKET}/etcd/a`, s3.options);
    const s = await snapshot('prod-node1-20261201T000000Z.db', '2026-12-01T00:00:00.000Z', 12);
    s3.onRequest = (r) => requests.push(r);
    const at = await store.put(s.file, s.m);
    s3.onRequest = undefined;
    expect(at).toBe(`s3://${BUCKET}/etcd/a/prod-node1-20261201T000000Z.db`);
    // multipart: initiated, three 5 MiB parts, completed; the object read back (GET) before the manifest's PUT
    expect(requests.filter((r) => /^POST .*\?uploads/.test(r))).toHaveLength(1);
    expect(requests.filter((r) => /^PUT .*partNumber=\d/.test(r))).toHaveLength(3);
    const getSnap = requests.findIndex((r) => r.startsWith('GET /lifeboat-backups/etcd/a/prod-node1-20261201T000000Z.db'));
    const putManifest = requests.findIndex((r) => r.startsWith('PUT /lifeboat-backups/etcd/a/prod-node1-20261201T000000Z.json'));
    expect(getSnap).toBeGreaterThan(-1);
    expect(putManifest).toBeGreaterThan(getSnap);
    expect(await keys('etcd/a/')).toEqual(['etcd/a/prod-node1-20261201T000000Z.db', 'etcd/a/prod-node1-20261201T000000Z.json']);
    const listed = await store.list();
    expect(listed.map((e) => e.file)).toEqual([at]);
    expect(listed[0]?.m.sha256).toBe(s.m.sha256);
    expect(await verifyInStore(store, listed[0] as never)).toEqual([]);

    const dir = path.join(work, 'fetched-a');
    const local = await fetchNewest(store, dir);
    expect(local).toBe(path.join(dir, 'prod-node1-20261201T000000Z.db'));
    expect(createHash('sha256').update(await readFile(local ?? '')).digest('hex')).toBe(s.m.sha256);
    expect((await readdir(dir)).sort()).toEqual(['prod-node1-20261201T000000Z.db', 'prod-node1-20261201T000000Z.json']);
  });
});

describe('retention and refusals on the s3:// store', () => {
  it('prunes by the tiers, only the named cluster, and removes nothing while the newest kept copy does not verify', async () => {
    const store = new S3Store(`s3://${BUCKET}/etcd/prune`, s3.options);
    const times = ['2026-11-20T10:00:00.000Z', '2026-11-29T10:00:00.000Z', '2026-11-30T09:00:00.000Z', '2026-11-30T10:00:00.000Z'];
    const ats: string[] = [];
    for (const [i, t] of times.entries()) {
      const s = await snapshot(`prod-node1-2026113${i}.db`, t);
      ats.push(await store.put(s.file, s.m));
    }
    const other = await snapshot('staging-node1-20261101T000000Z.db', '2026-11-01T00:00:00.000Z', 1, 'staging');
    const otherAt = await store.put(other.file, other.m);

    // the newest kept copy damaged in the store: nothing is removed
    await damage('etcd/prune/prod-node1-20261133.db');
    await expect(pruneStore(store, 'prod', { last: 1, daily: 2 })).rejects.toThrow(/the newest snapshot kept \(prod-node1-20261133\.db\) does not verify: sha256 [0-9a-f]{64} in s3:\/\/lifeboat-backups\/etcd\/prune differs from the manifest's [0-9a-f]{64}: nothing removed/);
    expect((await store.list()).map((e) => e.file)).toEqual([otherAt, ...ats]);

    // a sound newest copy again: keep the newest and the newest of each of the last 2 days that hold one
    const fresh = await snapshot('prod-node1-20261134.db', '2026-11-30T11:00:00.000Z');
    const freshAt = await store.put(fresh.file, fresh.m);
    const removed = await pruneStore(store, 'prod', { last: 1, daily: 2 });
    expect(removed.sort()).toEqual([ats[0], ats[2], ats[3]].sort());
    expect((await store.list()).map((e) => e.file)).toEqual([otherAt, ats[1], freshAt]);
    expect(await keys('etcd/prune/')).toEqual(['etcd/prune/prod-node1-20261131.db', 'etcd/prune/prod-node1-20261131.json', 'etcd/prune/prod-node1-20261134.db', 'etcd/prune/prod-node1-20261134.json', 'etcd/prune/staging-node1-20261101T000000Z.db', 'etcd/prune/staging-node1-20261101T000000Z.json']);
  });

  it('refuses a copy damaged in the store when fetching it, and never leaves the damaged copy in the backup dir', async () => {
    const store = new S3Store(`s3://${BUCKET}/etcd/bad`, s3.options);
    const s = await snapshot('prod-node1-20261202T000000Z.db', '2026-12-02T00:00:00.000Z', 2);
    await store.put(s.file, s.m);
    await damage('etcd/bad/prod-node1-20261202T000000Z.db');
    const dir = path.join(work, 'fetched-bad');
    await expect(fetchNewest(store, dir)).rejects.toThrow(/s3:\/\/lifeboat-backups\/etcd\/bad: the fetched prod-node1-20261202T000000Z\.db has sha256 [0-9a-f]{64}, its manifest says [0-9a-f]{64}/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('does not see a snapshot whose manifest is missing, nor one whose upload was cut halfway', async () => {
    const store = new S3Store(`s3://${BUCKET}/etcd/cut`, s3.options);
    const first = await snapshot('prod-node1-20261203T000000Z.db', '2026-12-03T00:00:00.000Z');
    const firstAt = await store.put(first.file, first.m);
    // a snapshot object without its manifest (as a run that died between the two would leave it)
    await raw().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'etcd/cut/prod-node1-20261204T000000Z.db', Body: randomBytes(1024) }));
    expect((await store.list()).map((e) => e.file)).toEqual([firstAt]);

    // an upload aborted after its first part reached the server
    const big = await snapshot('prod-node1-20261205T000000Z.db', '2026-12-05T00:00:00.000Z', 16);
    const ac = new AbortController();
    s3.onRequest = (r) => {
      if (/^PUT .*partNumber=1\b/.test(r)) ac.abort();
    };
    try {
      await expect(store.put(big.file, big.m, { signal: ac.signal })).rejects.toThrow(/s3:\/\/lifeboat-backups\/etcd\/cut: upload of prod-node1-20261205T000000Z\.db failed/);
    } finally {
      s3.onRequest = undefined;
    }
    expect(ac.signal.aborted).toBe(true);
    expect(await keys('etcd/cut/')).toEqual(['etcd/cut/prod-node1-20261203T000000Z.db', 'etcd/cut/prod-node1-20261203T000000Z.json', 'etcd/cut/prod-node1-20261204T000000Z.db']);
    expect((await store.list()).map((e) => e.file)).toEqual([firstAt]);
    const local = await fetchNewest(store, path.join(work, 'fetched-cut'));
    expect(path.basename(local ?? '')).toBe('prod-node1-20261203T000000Z.db');
  });

  it('removes an upload that reads back with another sha256 and publishes no manifest', async () => {
    const store = new S3Store(`s3://${BUCKET}/etcd/readback`, s3.options);
    const s = await snapshot('prod-node1-20261206T000000Z.db', '2026-12-06T00:00:00.000Z');
    await expect(store.put(s.file, { ...s.m, sha256: '0'.repeat(64) })).rejects.toThrow(/the uploaded prod-node1-20261206T000000Z\.db reads back with sha256 [0-9a-f]{64}, the manifest says 0{64}: removed, manifest not published/);
    expect(await keys('etcd/readback/')).toEqual([]);
  });

  it('names the store and the server error for wrong credentials', async () => {
    // s3rver knows the access key S3RVER only (it does not check V4 signatures, so a wrong secret is not caught here)
    const store = new S3Store(`s3://${BUCKET}/etcd/a`, { ...s3.options, access_key_id: 'NOT-A-KEY' });
    await expect(store.list()).rejects.toThrow(/s3:\/\/lifeboat-backups\/etcd\/a: listing failed: InvalidAccessKeyId/);
    expect(() => new S3Store(`s3://${BUCKET}/x`, { access_key_id: 'AKIA' })).toThrow(/give both an access key id and a secret access key, or neither/);
    expect(() => new S3Store('s3://B/x')).toThrow(/is not s3:\/\/BUCKET\/PREFIX/);
  });

  it('gives up on a server that does not answer after request_timeout, trying max_attempts times', async () => {
    let connections = 0;
    const silent: Server = createServer((sock) => {
      connections += 1;
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const store = new S3Store(`s3://${BUCKET}/etcd/a`, { ...s3.options, endpoint: `http://127.0.0.1:${port}`, request_timeout: 1, max_attempts: 3 });
      await expect(store.list()).rejects.toThrow(/s3:\/\/lifeboat-backups\/etcd\/a: listing failed: .*(timed out|timeout).*\(after 3 attempts\)/i);
      expect(connections).toBe(3);
    } finally {
      silent.close();
    }
  });
});
