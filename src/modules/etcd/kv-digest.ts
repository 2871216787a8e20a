import { type CtlTarget, ctlCmd, parseJsonExact } from './etcdctl.js';

/**
 * What the keyspace holds at one revision: the number of keys (a range's `count`: etcdctl 3.4 has no --count-only) and etcd's `hashkv` (a hash of every key and value
 * up to that revision, the same on every member that has it). A backup records it for its snapshot's revision; a
 * restore drill recomputes it on the restored copy — equal values prove the snapshot restores to the same data.
 */
export interface KvDigest {
  revision: number;
  kv_keys: number;
  hashkv: number;
}

/** Shell that prints `@@KV count <json>` and `@@KV hash <json>` for revision `rev` (etcdctl on the node). */
export function kvDigestScript(t: CtlTarget, rev: number): string {
  return [
    `printf '@@KV count %s\\n' "$(${ctlCmd(t, ['get', '', '--from-key', '--keys-only', '--limit=1', `--rev=${rev}`, '-w', 'json'])} 2>&1 | tr -d '\\n')"`,
    `printf '@@KV hash %s\\n' "$(${ctlCmd(t, ['endpoint', 'hashkv', `--rev=${rev}`, '-w', 'json'])} 2>&1 | tr -d '\\n')"`,
  ].join('; ');
}

export function parseKvDigest(out: string, rev: number): KvDigest | undefined {
  let count: number | undefined;
  let hash: number | undefined;
  for (const line of out.split('\n')) {
    const m = /^@@KV (count|hash) (.*)$/.exec(line);
    if (!m) continue;
    try {
      const v = parseJsonExact(m[2] ?? '') as { count?: unknown } | Array<{ HashKV?: { hash?: unknown } }>;
      if (m[1] === 'count' && !Array.isArray(v)) count = Number(v.count ?? 0);
      if (m[1] === 'hash' && Array.isArray(v)) hash = Number(v[0]?.HashKV?.hash);
    } catch {
      /* an error text, not JSON */
    }
  }
  return count !== undefined && hash !== undefined && Number.isFinite(hash) ? { revision: rev, kv_keys: count, hashkv: hash } : undefined;
}

/** The same through the etcd3 client (the SSH tunnel). */
export async function kvDigestOf(client: import('etcd3').Etcd3, rev: number): Promise<KvDigest> {
  const zero = Buffer.from([0]);
  const r = await client.kv.range({ key: zero, range_end: zero, revision: rev, count_only: true });
  const h = await client.maintenance.hashKV({ revision: rev });
  return { revision: rev, kv_keys: Number(r.count), hashkv: Number(h.hash) };
}
