import { shellJoin, shellQuote } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { factsOf, hostVarsOf } from './cluster.js';
import { ctlCmd, parseJsonExact } from './etcdctl.js';
import { gatherFacts } from './facts.js';
import { kvDigestScript, parseKvDigest } from './kv-digest.js';
import { newestSnapshot, resolveLocal } from './local-snapshot.js';
import type { S3Options } from './s3-store.js';
import { fetchNewest } from './store.js';
import { openStore, parseStoreUrl, s3SchemaProp } from './store-open.js';
import { keyRefOf } from './snapshot-codec.js';
import { readControllerSnapshot } from './snapshot-read.js';
import { runStamp } from './run-ts.js';
import { requireOfflineTool, snapshotRestoreCmd } from './version.js';

/**
 * etcd_drill — proves a snapshot restores: on this host, into a throwaway single member (its own data dir under
 * `work_dir`, loopback ports of its own; nothing of the cluster touched), restore, start, and compare with the
 * manifest: the revision, the key count and etcd's hashkv at that revision (recorded by the backup), and that
 * every given key prefix reads back. The member is stopped and its directory removed at the end, pass or fail.
 */
export interface EtcdDrillArgs {
  /** The snapshot (controller path); without it, the newest (by manifest time) in backup_dir. */
  snapshot?: string;
  backup_dir?: string;
  work_dir?: string;
  client_port?: number;
  peer_port?: number;
  /** Key prefixes that must each hold at least one key in the restored copy (a list, or text split at commas). */
  prefixes?: string[] | string;
  timeout_s?: number;
  /** The backup key of an encrypted snapshot. */
  key_file?: string;
  key_env?: string;
  /** Without `snapshot`: the newest in this store (sftp://HOST/DIR), fetched into backup_dir and verified. */
  store?: string;
  /** Settings of an s3:// store. */
  s3?: S3Options;
}

const NAME = 'lifeboat-drill';

export const etcdDrillModule: ModuleDef<EtcdDrillArgs> = {
  name: 'etcd_drill',
  summary: 'Restore a snapshot into a throwaway member on this host and prove it matches its manifest (nothing of the cluster touched)',
  schema: {
    type: 'object',
    properties: {
      snapshot: { type: 'string' },
      backup_dir: { type: 'string' },
      work_dir: { type: 'string', pattern: '^/.' },
      client_port: { type: 'integer', minimum: 1, maximum: 65535 },
      peer_port: { type: 'integer', minimum: 1, maximum: 65535 },
      prefixes: { anyOf: [{ type: 'array', items: { type: 'string', minLength: 1 } }, { type: 'string' }] },
      timeout_s: { type: 'integer', minimum: 1 },
      key_file: { type: 'string' },
      key_env: { type: 'string' },
      store: { type: 'string' },
      s3: s3SchemaProp,
    },
    additionalProperties: false,
  },
  async plan(ctx) {
    const a = ctx.args;
    const on = ctx.conn.host; // the drill host (the task may be delegated to it)
    const store = parseStoreUrl(a.store ?? '');
    const newest = a.snapshot
      ? undefined
      : store
        ? await fetchNewest(await openStore(store, ctx.connect, a.s3), resolveLocal(a.backup_dir ?? 'etcd-backups'))
        : a.backup_dir
          ? await newestSnapshot(resolveLocal(a.backup_dir))
          : undefined;
    if (!a.snapshot && !newest) {
      throw new LifeboatError('E_PREFLIGHT', `etcd_drill: no snapshot given and none with a manifest in ${store?.url ?? a.backup_dir ?? '(no backup_dir)'}`, { host: on, hint: 'pass -e snapshot=PATH, or point etcd_backup_dir at the backups' });
    }
    const file = newest ?? resolveLocal(a.snapshot ?? '');
    const snap = await readControllerSnapshot(file, keyRefOf(a), on);
    const { manifest, digest } = snap;
    if (!digest.trailerOk) throw new LifeboatError('E_PREFLIGHT', `etcd_drill: ${file}: its sha256 trailer does not match its content — truncated or corrupted`, { host: on });
    if (manifest && manifest.sha256 !== digest.sha256) throw new LifeboatError('E_PREFLIGHT', `etcd_drill: ${file}: sha256 ${digest.sha256} differs from its manifest's ${manifest.sha256}`, { host: on });
    // the drill host's etcd facts: gathered by the play's etcd_facts task, or here (read only) for a host outside
    // the etcd play — `drill_host=localhost`, the controller itself
    const known = factsOf(hostVarsOf(ctx.vars, ctx.host, on));
    const facts = known?.etcd?.path && known.etcdctl?.path ? known : await gatherFacts({ conn: ctx.conn, host: on, become: ctx.become, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const tool = { ...requireOfflineTool(facts ?? {}, on), bump: false }; // the drill keeps the snapshot's revisions
    const etcd = facts?.etcd?.path;
    const etcdctl = facts?.etcdctl?.path;
    if (!etcd || !etcdctl) {
      throw new LifeboatError('E_PREFLIGHT', `etcd_drill: ${on} has no ${etcd ? 'etcdctl' : 'etcd binary'} to run a throwaway member with`, {
        host: on,
        hint: 'drill on a host that has etcd and etcdctl (drill_host=…), e.g. an etcd member of a binary or Debian install',
      });
    }
    const prefixes = (typeof a.prefixes === 'string' ? a.prefixes.split(',') : (a.prefixes ?? [])).map((p) => p.trim()).filter((p) => p !== '');
    const cp = a.client_port ?? 23790;
    const pp = a.peer_port ?? 23800;
    const dir = `${a.work_dir ?? '/var/lib/lifeboat/drill'}/${runStamp(ctx.vars)}`;
    const peer = `http://127.0.0.1:${pp}`;
    const client = `http://127.0.0.1:${cp}`;
    const target = { etcdctl, endpoints: [client], tls: {}, commandTimeout: '10s', dialTimeout: '2s' };
    const rev = manifest?.kv?.revision ?? manifest?.revision ?? 0;
    const timeout = a.timeout_s ?? 60;
    const q = shellQuote;
    const etcdArgv = [etcd, `--name=${NAME}`, `--data-dir=${dir}/data`, `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=${NAME}=${peer}`, `--initial-cluster-token=${NAME}`];
    const script = [
      `D=${q(dir)}; pid=`,
      // pass or fail: the throwaway member stops and its directory goes (it is the drill's own, never the cluster's)
      `trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$D"' EXIT`,
      `if [ "$(sha256sum < "$D/snapshot.db" | cut -d' ' -f1)" != ${q(digest.sha256)} ]; then echo 'the copy on this host has another sha256' >&2; exit 1; fi`,
      `${snapshotRestoreCmd(tool, { snapshot: `${dir}/snapshot.db`, name: NAME, initialCluster: `${NAME}=${peer}`, token: NAME, peerUrl: peer, dataDir: `${dir}/data` })} > "$D/restore.log" 2>&1 || { tail -3 "$D/restore.log" >&2; exit 1; }`,
      `${shellJoin(etcdArgv)} > "$D/etcd.log" 2>&1 & pid=$!`,
      `i=0; until ${ctlCmd(target, ['endpoint', 'health'])} >/dev/null 2>&1; do i=$((i+1)); if [ "$i" -gt ${timeout * 5} ] || ! kill -0 "$pid" 2>/dev/null; then echo "the throwaway member did not become healthy: $(tail -3 "$D/etcd.log")" >&2; exit 1; fi; sleep 0.2; done`,
      `printf '@@ST %s\\n' "$(${ctlCmd(target, ['endpoint', 'status', '-w', 'json'])} | tr -d '\\n')"`,
      kvDigestScript(target, rev),
      ...prefixes.map((p) => `printf '@@PX %s %s\\n' ${q(Buffer.from(p).toString('base64'))} "$(${ctlCmd(target, ['get', p, '--prefix', '--keys-only', '--limit=1', '-w', 'json'])} | tr -d '\\n')"`),
    ].join('\n');
    return {
      changed: true,
      notes: [
        `restore ${file} into a throwaway member on ${on} (${dir}, ${client}); compare with its manifest${manifest?.kv ? ` (revision ${manifest.kv.revision}, ${manifest.kv.kv_keys} keys, hashkv ${manifest.kv.hashkv})` : manifest ? ' (revision only: the manifest has no key count or hashkv)' : ' (no manifest: sha256 and the start only)'}`,
      ],
      steps: [
        { kind: 'exec', cmd: `mkdir -p ${q(dir)} && chmod 0700 ${q(dir)}`, description: `create ${dir}` },
        { kind: 'put', src: file, ...(snap.encoded ? { open: snap.open } : {}), dest: `${dir}/snapshot.db`, mode: 0o600, description: `copy the snapshot${snap.encoded ? ' (decoded on the way)' : ''} to ${dir}` },
        { kind: 'exec', cmd: script, description: `restore, start on ${client}, read revision, key count, hashkv${prefixes.length ? ' and prefixes' : ''}; stop and remove`, timeoutMs: (timeout + 120) * 1000 },
      ],
      finish(outcomes): ModuleResult {
        const failed = outcomes.find((o) => o.error);
        if (failed || outcomes.length < 3) {
          const why = failed?.exec?.stderr.trim().split('\n').pop() ?? failed?.error ?? 'not every step ran';
          return { changed: true, failed: true, msg: `restore drill of ${file} FAILED on ${on}: ${why}` };
        }
        const out = outcomes[2]?.exec?.stdout ?? '';
        const problems: string[] = [];
        const st = /^@@ST (.*)$/m.exec(out)?.[1];
        const status = st ? (parseJsonExact(st) as Array<{ Status?: { header?: { revision?: unknown } } }>)[0]?.Status : undefined;
        const revision = Number(status?.header?.revision ?? Number.NaN);
        if (manifest && revision !== manifest.revision) problems.push(`revision ${revision}, the manifest says ${manifest.revision}`);
        const kv = parseKvDigest(out, rev);
        if (manifest?.kv) {
          if (!kv) problems.push('could not read the key count and hashkv of the restored copy');
          else {
            if (kv.kv_keys !== manifest.kv.kv_keys) problems.push(`${kv.kv_keys} keys, the manifest says ${manifest.kv.kv_keys}`);
            if (kv.hashkv !== manifest.kv.hashkv) problems.push(`hashkv ${kv.hashkv} at revision ${rev}, the manifest says ${manifest.kv.hashkv}`);
          }
        }
        const prefixes = [...out.matchAll(/^@@PX (\S+) (.*)$/gm)].map((m) => {
          const p = Buffer.from(m[1] ?? '', 'base64').toString();
          let n = 0;
          try {
            n = Number((JSON.parse(m[2] ?? '{}') as { count?: unknown }).count ?? 0);
          } catch {}
          return { prefix: p, keys: n };
        });
        for (const p of prefixes) if (p.keys < 1) problems.push(`no key under ${p.prefix}`);
        const what = `revision ${revision}${kv ? `, ${kv.kv_keys} keys, hashkv ${kv.hashkv}` : ''}${prefixes.length ? `; ${prefixes.map((p) => `${p.prefix} ${p.keys}`).join(', ')}` : ''}`;
        if (problems.length) return { changed: true, failed: true, msg: `restore drill of ${file} FAILED on ${on}: ${problems.join('; ')} (restored: ${what})`, drill: { revision, kv, prefixes } };
        return { changed: true, msg: `restore drill of ${file} passed on ${on}: ${what}${manifest?.kv ? ' — as the manifest records' : ''}`, drill: { revision, kv, prefixes } };
      },
    };
  },
};
