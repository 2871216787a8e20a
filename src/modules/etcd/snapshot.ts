import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shellJoin } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import type { ModuleDef, ModuleResult, Step } from '../types.js';
import { clusterPlan, factsOf, hostVarsOf, memberFor } from './cluster.js';
import { ctlArgv } from './etcdctl.js';
import { kvDigestOf, kvDigestScript, parseKvDigest } from './kv-digest.js';
import { observeMembers } from './observe.js';
import { withTunnelClient } from './observe-tunnel.js';
import { buildShape, KUBE_VERSION_PROBE, STATIC_POD_PROBE } from './shape.js';
import { applyRetention, localSnapshotDigest, manifestPathFor, resolveLocal, snapshotFileName } from './local-snapshot.js';
import { parseSnapshotCheck, type SnapshotCheck, snapshotCheckScript, snapshotProblems } from './snapfile.js';
import type { S3Options } from './s3-store.js';
import { pruneStore } from './store.js';
import { openStore, parseStoreUrl, s3SchemaProp } from './store-open.js';
import { encodeSnapshot, loadKey } from './snapshot-codec.js';
import { snapshotOverTunnel } from './snapshot-tunnel.js';
import { readToolsDir } from './tools-dir.js';
import { clusterSchemaProps } from './status.js';
import type { SnapshotManifest } from './types.js';
import { requireOfflineTool } from './version.js';
import { runDate } from './run-ts.js';

export interface EtcdSnapshotArgs {
  group?: string;
  members?: Array<{ host: string; [k: string]: unknown }>;
  /** Controller directory for snapshots and manifests (relative: to the playbook). */
  backup_dir: string;
  /** Keep the newest N snapshots of this cluster on the controller (0 with no tiers: keep all). */
  retain?: number;
  /** Also keep the newest snapshot of each of the last N hours / days / ISO weeks that have one. */
  keep_hourly?: number;
  keep_daily?: number;
  keep_weekly?: number;
  /** Cluster name used in file names and manifests. */
  cluster?: string;
  /** Directory on the node for the snapshot before it is fetched. */
  remote_dir?: string;
  /** etcdctl --command-timeout for the save, e.g. "5m". */
  command_timeout?: string;
  /** The member (inventory host) to snapshot, when the task is delegated to it (default: the task's host). */
  member?: string;
  /** etcd_tools_dir: controller tools for `snapshot status` of a snapshot streamed over the tunnel. */
  tools_dir?: string;
  /** Store the snapshot gzip-compressed on the controller. */
  compress?: boolean;
  /** Encrypt it (AES-256-GCM) with the key in this file or environment variable (snapshot-codec.ts). */
  key_file?: string;
  key_env?: string;
  /** Also upload to this store (sftp://HOST/DIR), atomically, and apply the retention there. */
  store?: string;
  /** Settings of an s3:// store (endpoint, region, path style, credentials, timeout, attempts). */
  s3?: S3Options;
}

function timeoutMs(t: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(t);
  if (!m) throw new LifeboatError('E_MODULE', `command_timeout "${t}" is not a duration like 30s or 5m`);
  const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * mult;
}

/**
 * Saves a snapshot from exactly one member (the host the task runs on), checks it there (`snapshot status`,
 * sha256, trailer), fetches it to the controller next to a JSON manifest, and keeps the newest N.
 */
export const etcdSnapshotModule: ModuleDef<EtcdSnapshotArgs> = {
  name: 'etcd_snapshot',
  summary: 'Snapshot one etcd member, fetch it to the controller with a manifest, keep the newest N',
  schema: {
    type: 'object',
    required: ['backup_dir'],
    properties: {
      group: clusterSchemaProps.group,
      members: clusterSchemaProps.members,
      backup_dir: { type: 'string', minLength: 1 },
      retain: { type: 'integer', minimum: 0 },
      cluster: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
      remote_dir: { type: 'string', pattern: '^/' },
      command_timeout: { type: 'string' },
      member: { type: 'string' },
      tools_dir: { type: 'string' },
      keep_hourly: { type: 'integer', minimum: 0 },
      keep_daily: { type: 'integer', minimum: 0 },
      keep_weekly: { type: 'integer', minimum: 0 },
      compress: { type: 'boolean' },
      key_file: { type: 'string' },
      key_env: { type: 'string' },
      store: { type: 'string' },
      s3: s3SchemaProp,
    },
    additionalProperties: false,
  },
  async plan(ctx) {
    const plan = clusterPlan(ctx.vars, ctx.host, ctx.args);
    const me = memberFor(plan, ctx.args.member ?? ctx.host);
    // a key that cannot be read is refused before anything runs
    const store = parseStoreUrl(ctx.args.store ?? '');
    const key = await loadKey({ ...(ctx.args.key_file ? { key_file: resolveLocal(ctx.args.key_file) } : {}), ...(ctx.args.key_env ? { key_env: ctx.args.key_env } : {}) });
    const facts = factsOf(hostVarsOf(ctx.vars, ctx.host, me.host));
    // no etcdctl on the member's node (kubeadm): the snapshot is streamed to the controller through an SSH tunnel
    const conn = await ctx.connect(me.host);
    const tunnel = !facts?.etcdctl && conn.forward !== undefined;
    const tool = tunnel ? undefined : requireOfflineTool(facts ?? {}, ctx.host);
    const toolsDir = ctx.args.tools_dir ? await readToolsDir(ctx.args.tools_dir) : undefined;
    const cluster = ctx.args.cluster ?? 'etcd';
    const when = runDate(ctx.vars); // the plan's time under `lifeboat apply`, so the plan names the same file
    const name = snapshotFileName(cluster, me.name, when);
    const remoteDir = ctx.args.remote_dir ?? '/var/lib/lifeboat/snapshots';
    const remote = `${remoteDir}/${name}`;
    const backupDir = resolveLocal(ctx.args.backup_dir);
    const local = join(backupDir, name);
    const ct = ctx.args.command_timeout ?? '10m';
    const target = { etcdctl: facts?.etcdctl?.path ?? 'etcdctl', endpoints: [me.client_url], tls: me.tls, commandTimeout: ct };
    if (!ctx.check) await mkdir(backupDir, { recursive: true });
    const steps: Step[] = tool ? [
        {
          kind: 'exec',
          cmd: `${shellJoin(['mkdir', '-p', remoteDir])} && ${shellJoin(ctlArgv(target, ['snapshot', 'save', remote]))}`,
          description: `etcdctl snapshot save from ${me.name} (${me.client_url})`,
          timeoutMs: timeoutMs(ct) + 30_000,
        },
        { kind: 'exec', cmd: snapshotCheckScript(tool, remote), description: `check ${remote} (status, sha256, trailer)` },
        { kind: 'get', src: remote, dest: local, description: `fetch ${name} to ${backupDir}` },
      ] : [];
    return {
      changed: true,
      notes: [
        `snapshot of member ${me.name} (${me.client_url}) → ${local}`,
        ...(tunnel ? [`no etcdctl on ${me.host}: streamed from ${me.client_url} through an SSH tunnel (etcd3 client) and checked on the controller`] : []),
      ],
      steps,
      async finish(outcomes): Promise<ModuleResult> {
        /** The cluster's shape for the manifest: the plan, the hosts' facts, and the member IDs as this member sees them. */
        const readShape = async () => {
          const conn = await ctx.connect(me.host);
          const [view] = await observeMembers([me], async () => conn, () => (tunnel ? null : target.etcdctl), ctx);
          const kv = await conn.exec(KUBE_VERSION_PROBE, { become: ctx.become, timeoutMs: 10_000, ...(ctx.signal ? { signal: ctx.signal } : {}) }).catch(() => undefined);
          const staticPods = new Set<string>();
          await Promise.all(plan.members.map(async (m) => {
            const r = await (await ctx.connect(m.host)).exec(STATIC_POD_PROBE, { become: ctx.become, timeoutMs: 10_000, ...(ctx.signal ? { signal: ctx.signal } : {}) }).catch(() => undefined);
            if (r?.stdout.includes('static-pod')) staticPods.add(m.host);
          }));
          const kubernetesVersion = kv?.stdout.trim();
          return buildShape(plan, ctx.vars, ctx.host, { ...(view?.reachable ? { view } : {}), ...(kubernetesVersion ? { kubernetesVersion } : {}), staticPods });
        };
        const failed = outcomes.find((o) => o.error);
        if (failed || outcomes.length < steps.length) {
          const detail = failed?.exec?.stderr.trim().split('\n').pop() ?? '';
          return { changed: outcomes.length > 0, failed: true, msg: `snapshot failed: ${failed?.error ?? 'not all steps ran'} ${detail}`.trim() };
        }
        let check: SnapshotCheck;
        try {
          check = tunnel ? await snapshotOverTunnel(me, conn, ctx.become, local, toolsDir) : parseSnapshotCheck(outcomes[1]?.exec?.stdout ?? '');
        } catch (e) {
          return { changed: false, failed: true, msg: `snapshot of ${me.name} over an SSH tunnel failed: ${(e as Error).message.split('\n')[0]}` };
        }
        const problems = snapshotProblems(check);
        const localDigest = problems.length && tunnel ? undefined : await localSnapshotDigest(local);
        if (localDigest && check.sha256 && localDigest.sha256 !== check.sha256) problems.push(`the fetched copy's sha256 ${localDigest.sha256} differs from the node's ${check.sha256}`);
        if (problems.length || !check.status || !check.sha256) {
          return { changed: !tunnel, failed: true, msg: `snapshot ${tunnel ? local : `${remote} on ${me.host}`} is not sound: ${problems.join('; ')}` };
        }
        const manifest: SnapshotManifest = {
          file: name,
          cluster,
          member: me.name,
          host: me.host,
          ...(facts?.version ? { etcd_version: facts.version } : {}),
          revision: check.status.revision,
          total_keys: check.status.totalKey,
          total_size: check.status.totalSize,
          hash: check.status.hash,
          sha256: check.sha256,
          time: when.toISOString(),
          shape: await readShape(),
        };
        // the keyspace at the snapshot's revision, for restore drills (absent if the member compacted past it)
        const kv = await (tunnel
          ? withTunnelClient(me, conn, ctx.become, (c) => kvDigestOf(c, check.status?.revision ?? 0))
          : conn.exec(kvDigestScript(target, check.status.revision), { become: ctx.become, timeoutMs: 60_000, ...(ctx.signal ? { signal: ctx.signal } : {}) }).then((r) => parseKvDigest(r.stdout, check.status?.revision ?? 0))
        ).catch(() => undefined);
        if (kv) manifest.kv = kv;
        // compressed and/or encrypted at rest: the plain copy is replaced by the stored one (the manifest keeps its sha256)
        let stored = local;
        if (ctx.args.compress || key) {
          manifest.stored = await encodeSnapshot(local, { gzip: ctx.args.compress === true, ...(key ? { key } : {}) });
          stored = join(backupDir, manifest.stored.file);
          await unlink(local);
        }
        await writeFile(manifestPathFor(local), `${JSON.stringify(manifest, null, 2)}\n`);
        const a = ctx.args;
        const policy = { last: a.retain ?? 0, hourly: a.keep_hourly ?? 0, daily: a.keep_daily ?? 0, weekly: a.keep_weekly ?? 0 };
        const removed = await applyRetention(backupDir, cluster, policy);
        let inStore: { stored_at: string; removed_from_store: string[] } | undefined;
        if (store) {
          try {
            const st = await openStore(store, ctx.connect, ctx.args.s3);
            const at = await st.put(stored, manifest);
            inStore = { stored_at: store.kind === 'sftp' ? `${store.ref.host}:${at}` : at, removed_from_store: await pruneStore(st, cluster, policy, at) };
          } catch (e) {
            return { changed: true, failed: true, msg: `snapshot ${name} is in ${backupDir} but not in ${store.url}: ${(e as Error).message}`, snapshot: stored, manifest };
          }
        }
        return {
          changed: true,
          msg: `snapshot ${name}${store ? ` (also in ${store.url})` : ''}: revision ${manifest.revision}, ${manifest.total_keys} keys, ${manifest.total_size} bytes, sha256 ${manifest.sha256}`,
          snapshot: stored,
          manifest_file: manifestPathFor(local),
          manifest,
          ...(tunnel ? { over_tunnel: true } : { remote_snapshot: remote }),
          removed_by_retention: removed,
          ...(inStore ?? {}),
        };
      },
    };
  },
};
