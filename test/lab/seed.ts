/**
 * A deterministic seed of Kubernetes-like keys, the "disaster" that deletes some of them, and read-back —
 * all from the controller over TLS with the etcd3 client (batched transactions: etcd allows 128 ops each).
 */
import { readFileSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import { LifeboatError } from '../../src/errors.js';

export const DEFAULT_SEED_KEYS = 2000;
export const DEFAULT_VALUE_BYTES = 1024;
const TXN_OPS = 128;
const IN_FLIGHT = 8;
const READ_PAGE = 1000;

const KINDS = [
  ['pods', 'Pod'],
  ['services/specs', 'Service'],
  ['configmaps', 'ConfigMap'],
  ['secrets', 'Secret'],
  ['deployments', 'Deployment'],
  ['replicasets', 'ReplicaSet'],
  ['serviceaccounts', 'ServiceAccount'],
  ['endpointslices', 'EndpointSlice'],
] as const;
const NAMESPACES = ['default', 'kube-system', 'payments', 'staging', 'monitoring'];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** mulberry32: a tiny seeded PRNG, so the seed is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Key and value of seed entry `i` (0-based). */
export function seedEntry(i: number, valueBytes = DEFAULT_VALUE_BYTES): [string, string] {
  const [resource, kind] = KINDS[i % KINDS.length] ?? KINDS[0];
  const ns = NAMESPACES[Math.floor(i / KINDS.length) % NAMESPACES.length] ?? 'default';
  const name = `${kind.toLowerCase()}-${String(i).padStart(7, '0')}`;
  const rnd = prng(i + 1);
  const uid = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('');
  const head = `{"apiVersion":"v1","kind":"${kind}","metadata":{"name":"${name}","namespace":"${ns}","uid":"${uid}"},"data":"`;
  const fill = Math.max(0, valueBytes - head.length - 2);
  let data = '';
  for (let k = 0; k < fill; k++) data += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
  return [`/registry/${resource}/${ns}/${name}`, `${head}${data}"}`];
}

/** Every seed entry, in order: what `readKeys()` must give back after a good restore. */
export function seedEntries(count: number, valueBytes = DEFAULT_VALUE_BYTES): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const [k, v] = seedEntry(i, valueBytes);
    m.set(k, v);
  }
  return m;
}

/** The seed entries `disaster({fraction})` deletes (deterministic: the same ones every time). */
export function disasterIndexes(count: number, fraction: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (prng(i * 7919 + 17)() < fraction) out.push(i);
  return out;
}

export interface EtcdTarget {
  endpoints: string[];
  pki?: { ca: string; cert: string; key: string };
}

export async function etcdClient(t: EtcdTarget): Promise<Etcd3> {
  const { Etcd3 } = await import('etcd3');
  return new Etcd3({
    hosts: t.endpoints,
    dialTimeout: 3000,
    ...(t.pki
      ? {
          credentials: {
            rootCertificate: readFileSync(t.pki.ca),
            certChain: readFileSync(t.pki.cert),
            privateKey: readFileSync(t.pki.key),
          },
        }
      : {}),
  });
}

/** Run `ops` (index → request) in transactions of 128, a few in flight. Returns the responses' deleted counts. */
async function batched(client: Etcd3, indexes: number[], op: (i: number) => object): Promise<number> {
  let next = 0;
  let deleted = 0;
  const worker = async (): Promise<void> => {
    while (next < indexes.length) {
      const chunk = indexes.slice(next, next + TXN_OPS);
      next += TXN_OPS;
      const res = await client.kv.txn({ success: chunk.map(op) });
      for (const r of res.responses) deleted += Number(r.response_delete_range?.deleted ?? 0);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return deleted;
}

export async function writeSeed(t: EtcdTarget, count: number, valueBytes = DEFAULT_VALUE_BYTES): Promise<void> {
  const client = await etcdClient(t);
  try {
    const idx = Array.from({ length: count }, (_, i) => i);
    await batched(client, idx, (i) => {
      const [k, v] = seedEntry(i, valueBytes);
      return { request_put: { key: Buffer.from(k), value: Buffer.from(v) } };
    });
  } finally {
    client.close();
  }
}

/** Delete a deterministic `fraction` of the seed (or everything under `prefix`); returns how many keys went. */
export async function deleteSome(
  t: EtcdTarget,
  seeded: number,
  opts: { fraction?: number; prefix?: string },
): Promise<number> {
  const client = await etcdClient(t);
  try {
    if (opts.prefix !== undefined) return Number(await client.delete().prefix(opts.prefix));
    if (seeded === 0) {
      throw new LifeboatError('E_USAGE', 'lab.disaster(): nothing was seeded in this lab', {
        hint: 'call lab.seed() first or start the lab with seedKeys',
      });
    }
    const fraction = opts.fraction ?? 0.5;
    const idx = disasterIndexes(seeded, fraction);
    return await batched(client, idx, (i) => ({ request_delete_range: { key: Buffer.from(seedEntry(i)[0]) } }));
  } finally {
    client.close();
  }
}

/** The first key after every key that starts with `prefix` (etcd's prefix range end). */
function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** Read a prefix in pages of 1,000 keys, all at the revision of the first page (one consistent view). */
async function readPaged(client: Etcd3, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const end = prefixEnd(Buffer.from(prefix));
  let key = Buffer.from(prefix);
  let revision: string | undefined;
  for (;;) {
    const res = await client.kv.range({ key, range_end: end, limit: READ_PAGE, ...(revision ? { revision } : {}) });
    revision ??= res.header.revision;
    for (const kv of res.kvs) out.set(kv.key.toString('utf8'), kv.value.toString('utf8'));
    const last = res.kvs[res.kvs.length - 1];
    if (!res.more || !last) return out;
    key = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

/** Every key under `prefix` with its value, from the first endpoint that answers (linearizable read). */
export async function readAll(targets: EtcdTarget[], prefix: string): Promise<Map<string, string>> {
  const errors: string[] = [];
  for (const t of targets) {
    const client = await etcdClient(t);
    try {
      return await readPaged(client, prefix);
    } catch (e) {
      errors.push(`${t.endpoints.join(',')}: ${(e as Error).message}`);
    } finally {
      client.close();
    }
  }
  throw new LifeboatError('E_INTERNAL', `lab.readKeys(): no etcd member answered: ${errors.join('; ')}`, {
    hint: 'is etcd running on the lab hosts? `npm run lab -- status`',
  });
}
