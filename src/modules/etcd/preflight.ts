import { LifeboatError } from '../../errors.js';
import { probeOf } from '../common.js';
import type { ModuleDef } from '../types.js';
import { type ClusterArgs, clusterPlan, groupHosts, hostVarsOf } from './cluster.js';
import { sourcesReport, sourceText } from './value-sources.js';
import { gatherFacts } from './facts.js';
import { newestSnapshot, resolveLocal } from './local-snapshot.js';
import { keyRefOf } from './snapshot-codec.js';
import type { S3Options } from './s3-store.js';
import { fetchNewest } from './store.js';
import { openStore, parseStoreUrl, s3SchemaProp } from './store-open.js';
import { readControllerSnapshot } from './snapshot-read.js';
import { localStatus } from './local-status.js';
import { readLiveMembers } from './live-members.js';
import { lossText } from './loss.js';
import { probeDirs } from './node-probe.js';
import { etcdctlIn, observeMembers } from './observe.js';
import { runStamp } from './run-ts.js';
import { clusterSchemaProps } from './status.js';
import type { EtcdFacts, SnapshotManifest } from './types.js';
import { readToolsDir } from './tools-dir.js';
import { versionProblem } from './tools.js';
import { offlineTool, parseVersion } from './version.js';

export interface EtcdPreflightArgs extends ClusterArgs {
  /** Controller path of the snapshot to restore (absent when a fresh one will be taken). */
  snapshot?: string;
  /** Group of the control-plane hosts that must be reachable too (default kube_master; missing group is fine). */
  master_group?: string;
  remote_dir?: string;
  /** Without `snapshot`: take the newest snapshot (by manifest time) from this controller directory. */
  backup_dir?: string;
  /** A fresh snapshot will be taken after the control plane stops: no snapshot to check yet. */
  fresh?: boolean;
  /** etcd_tools_dir: the controller's etcd tools, put on the nodes for the run (etcd_tools) in place of theirs. */
  tools_dir?: string;
  /** The backup key of an encrypted snapshot (a file or an environment variable). */
  key_file?: string;
  key_env?: string;
  /** Without `snapshot`: the newest in this store (sftp://HOST/DIR), fetched into backup_dir and verified. */
  store?: string;
  /** Settings of an s3:// store. */
  s3?: S3Options;
}

/**
 * Everything that must hold before a restore touches anything, checked at once and reported together:
 * hosts reachable; inventory and discovered configuration agree; the snapshot sound; the restore tool present
 * and recent enough; free disk ≥ 2× the snapshot on every node. Read-only; a failure changes nothing.
 */
export const etcdPreflightModule: ModuleDef<EtcdPreflightArgs> = {
  name: 'etcd_preflight',
  summary: 'Check everything a restore needs before anything is stopped (read-only)',
  schema: {
    type: 'object',
    properties: {
      ...clusterSchemaProps,
      snapshot: { type: 'string' },
      master_group: { type: 'string' },
      remote_dir: { type: 'string' },
      backup_dir: { type: 'string' },
      fresh: { type: 'boolean' },
      tools_dir: { type: 'string' },
      key_file: { type: 'string' },
      key_env: { type: 'string' },
      store: { type: 'string' },
      s3: s3SchemaProp,
    },
    additionalProperties: false,
  },
  async plan(ctx) {
    const problems: string[] = [];
    const warnings: string[] = [];
    const etcdHosts = ctx.args.members?.map((m) => m.host) ?? groupHosts(ctx.vars, ctx.args.group ?? 'etcd', ctx.host);
    const masters = ((ctx.vars.groups as Record<string, string[]> | undefined)?.[ctx.args.master_group ?? 'kube_master'] ?? []).filter((h) => !etcdHosts.includes(h));
    const toolsDir = ctx.args.tools_dir ? await readToolsDir(ctx.args.tools_dir) : undefined;
    if (toolsDir) problems.push(...toolsDir.problems);
    // 1. reachability and fresh facts of every etcd node
    const facts = new Map<string, EtcdFacts>();
    const conns = new Map<string, import('../../connection/types.js').Connection>();
    await Promise.all(
      [...etcdHosts, ...masters].map(async (h) => {
        try {
          const c = await ctx.connect(h);
          const r = await c.exec('true', { become: ctx.become, timeoutMs: 30_000, ...(ctx.signal ? { signal: ctx.signal } : {}) });
          if (r.rc !== 0) throw new Error(`rc ${r.rc}`);
          conns.set(h, c);
          if (etcdHosts.includes(h)) facts.set(h, await gatherFacts(probeOf(ctx, c, h)));
        } catch (e) {
          problems.push(`${h}: unreachable: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    // 2. the snapshot (its manifest's recorded shape fills what a host can no longer say)
    let manifest: SnapshotManifest | undefined;
    let snapSize = 0;
    let snapshot = ctx.args.snapshot ? resolveLocal(ctx.args.snapshot) : undefined;
    if (!snapshot && !ctx.args.fresh) {
      const store = parseStoreUrl(ctx.args.store ?? '');
      let told = false;
      if (store) {
        told = true;
        try {
          snapshot = await fetchNewest(await openStore(store, ctx.connect, ctx.args.s3), resolveLocal(ctx.args.backup_dir ?? 'etcd-backups'));
          if (!snapshot) problems.push(`no snapshot in ${store.url}`);
        } catch (e) {
          problems.push(`${store.url}: ${(e as Error).message}`);
        }
      } else if (ctx.args.backup_dir) snapshot = await newestSnapshot(resolveLocal(ctx.args.backup_dir));
      if (!snapshot && !told) problems.push(`no snapshot given and none with a manifest in ${ctx.args.backup_dir ?? '(no backup_dir)'}: pass -e snapshot=PATH or -e fresh_snapshot=true`);
    }
    if (ctx.args.fresh) warnings.push('a fresh snapshot will be taken after the control plane is stopped; it is checked on every node after the copy');
    if (snapshot) {
      const file = snapshot;
      try {
        // a compressed or encrypted snapshot is decoded in a stream (a wrong key is refused here, before anything stops)
        const snap = await readControllerSnapshot(file, keyRefOf(ctx.args), ctx.host);
        manifest = snap.manifest;
        const d = snap.digest;
        snapSize = d.size;
        if (!d.trailerOk) problems.push(`snapshot ${file}: its sha256 trailer does not match its content — truncated or corrupted`);
        if (manifest && manifest.sha256 !== d.sha256) problems.push(`snapshot ${file}: sha256 ${d.sha256} differs from its manifest's ${manifest.sha256}`);
        if (!manifest) warnings.push(`snapshot ${file} has no manifest; its sha256 ${d.sha256} will be checked on every node`);
        const st = snap.encoded ? null : await localStatus(file, toolsDir);
        if (snap.encoded) warnings.push(`snapshot ${file} is stored ${manifest?.stored?.encryption ? 'encrypted' : 'compressed'}: decoded and its sha256 checked here; snapshot status is checked on the nodes after the copy`);
        else if (st && !st.ok) problems.push(`snapshot ${file}: snapshot status failed: ${st.text}`);
        else if (st === null) warnings.push('no etcdutl/etcdctl on the controller: snapshot status is checked on the nodes after the copy');
      } catch (e) {
        problems.push(`snapshot ${file}: ${(e as Error).message}`);
      }
    }
    const shapeRef = manifest?.shape && snapshot ? { file: snapshot, shape: manifest.shape } : undefined;
    // a host that cannot describe itself: what a surviving member's member list says of it comes first
    const live = etcdHosts.some((h) => facts.get(h)?.source === 'none') ? await readLiveMembers(etcdHosts, facts, conns, ctx.vars, ctx.host, ctx) : undefined;
    // 3. the cluster plan, and the inventory against what runs
    let plan: ReturnType<typeof clusterPlan> | undefined;
    try {
      plan = clusterPlan(ctx.vars, ctx.host, { ...ctx.args, ...(shapeRef ? { shape: shapeRef } : {}), ...(live ? { live } : {}) });
    } catch (e) {
      problems.push(e instanceof LifeboatError ? e.message : String(e));
    }
    for (const m of plan?.members ?? []) {
      const f = facts.get(m.host);
      const hv = hostVarsOf(ctx.vars, ctx.host, m.host);
      if (!f || f.source === 'none') {
        const guessed = (['name', 'peer_url', 'client_url'] as const).filter((k) => plan?.sources[m.host]?.[k]?.from === 'default');
        if (f && guessed.length) {
          const vars = guessed.map((k) => `etcd_${k}`).join(', ');
          problems.push(`${m.host}: no etcd configuration found on the host and none recorded for it in the snapshot's manifest or a running member's member list: its ${guessed.join(', ').replaceAll('_', ' ')} would be a guess (${m.name} ${m.peer_url}) — set ${vars} for ${m.host} in the inventory`);
        } else if (f) warnings.push(`${m.host}: no etcd configuration found; restoring as ${m.name} ${m.peer_url} (from the inventory or the snapshot's manifest)`);
        continue;
      }
      if (f.config.name && f.config.name !== m.name) {
        problems.push(`${m.host}: the plan restores it as "${m.name}" but its etcd runs with --name ${f.config.name} (${f.source}${hv.etcd_name ? '; etcd_name is set in the inventory' : ''}): etcd would start with a name that is not in the restored member list — make them equal`);
      }
      const peer = f.config.initial_advertise_peer_urls;
      if (peer.length && !peer.includes(m.peer_url)) {
        problems.push(`${m.host}: the plan gives peer URL ${m.peer_url} but its etcd advertises ${peer.join(',')}: the other members would dial the wrong address — make them equal`);
      }
      if (f.config.initial_cluster_token && f.config.initial_cluster_token !== plan?.token) {
        warnings.push(`${m.host}: its etcd was started with token ${f.config.initial_cluster_token}; the restore uses ${plan?.token} (fine: a running member ignores the flag once its data dir exists)`);
      }
    }
    // 4. tools and 5. disk on every etcd node
    const need = parseVersion(manifest?.etcd_version);
    await Promise.all(
      (plan?.members ?? []).map(async (m) => {
        const f = facts.get(m.host);
        const c = conns.get(m.host);
        if (!f || !c) return;
        // the tools of etcd_tools_dir replace the node's for the run (put there after the lock, by etcd_tools)
        const own = toolsDir ? { ...f, ...toolsDir.tools } : f;
        for (const ct of Object.values(toolsDir?.tools ?? {})) {
          const p = versionProblem(ct, f.version);
          if (p) problems.push(`${m.host}: ${p}`);
        }
        const t = offlineTool(own);
        if (!t) problems.push(`${m.host}: no tool to restore snapshots (etcdutl, or etcdctl < 3.6)${toolsDir ? ` on the node or in ${toolsDir.dir}` : ': point etcd_tools_dir at etcd\'s tools on the controller (-e etcd_tools_dir=DIR: an unpacked etcd release of the cluster\'s version), or install etcdutl on the node'}`);
        // without etcdctl, status, snapshot and verification go through an SSH tunnel (etcd3 client) when the connection can
        if (!own.etcdctl && !c.forward) problems.push(`${m.host}: no etcdctl (status, snapshot and verification run it on the node)${toolsDir ? ` on the node or in ${toolsDir.dir}` : ': point etcd_tools_dir at etcd\'s tools on the controller (-e etcd_tools_dir=DIR), or install etcdctl on the node'}`);
        if (t) {
          const server = parseVersion(f.version);
          for (const [what, v] of [['the snapshot', need], ['the etcd server', server]] as const) {
            if (v && (t.version.major < v.major || (t.version.major === v.major && t.version.minor < v.minor))) {
              problems.push(`${m.host}: ${t.kind} ${t.version.major}.${t.version.minor}.${t.version.patch} is older than ${what} (${v.major}.${v.minor}.${v.patch})`);
            }
          }
        }
        if (snapSize > 0) {
          const remoteDir = ctx.args.remote_dir ?? '/var/lib/lifeboat/snapshots';
          const dirs = await probeDirs(c, [m.data_dir, remoteDir], ctx.become);
          for (const p of new Set([m.data_dir, remoteDir])) {
            const free = dirs.get(p)?.freeBytes;
            if (free !== undefined && free < 2 * snapSize) problems.push(`${m.host}: ${free} bytes free for ${p}, need at least ${2 * snapSize} (twice the snapshot)`);
          }
        }
      }),
    );
    // what the restore will lose: the snapshot against the live cluster (members still answering)
    let loss: string | undefined;
    if (manifest && plan) {
      // a node without etcdctl is asked through an SSH tunnel, where its connection can open one
      const all = plan.members.filter((m) => facts.get(m.host)?.running);
      const running = all.filter((m) => facts.get(m.host)?.etcdctl || conns.get(m.host)?.forward);
      const views = running.length ? await observeMembers(running, async (h) => conns.get(h) ?? ctx.connect(h), (h) => etcdctlIn(facts.get(h)), ctx) : [];
      const revs = views.flatMap((v) => (v.healthy && v.revision !== undefined ? [v.revision] : []));
      const unread = all.length && !running.length ? `no etcdctl on ${all.map((m) => m.host).join(', ')}, where etcd runs` : undefined;
      loss = lossText(manifest, revs.length ? Math.max(...revs) : undefined, new Date(), unread);
    }
    const n = plan?.members.length ?? etcdHosts.length;
    if (n % 2 === 0) warnings.push(`${n} etcd members: an even count tolerates no more failures than ${n - 1}`);
    const summary = `preflight: ${etcdHosts.length} etcd + ${masters.length} other control-plane hosts; ${plan ? `initial cluster ${plan.initial_cluster}, token ${plan.token}` : 'no valid cluster plan'}`;
    const result = { changed: false, problems, warnings, ts: runStamp(ctx.vars), ...(snapshot ? { snapshot } : {}), ...(plan ? { initial_cluster: plan.initial_cluster, token: plan.token, members: plan.members } : {}), ...(manifest ? { manifest } : {}), ...(loss ? { loss } : {}), ...(plan ? { sources: plan.sources, token_source: plan.token_source } : {}), ...(shapeRef || live ? { ansible_facts: { ...(shapeRef ? { etcd_snapshot_shape: shapeRef } : {}), ...(live ? { etcd_live_members: live } : {}) } } : {}) };
    const values = plan ? ['where each value comes from:', ...sourcesReport(plan).map((l) => `  ${l}`), `  token ${plan.token} (${sourceText(plan.token_source)})`] : [];
    if (problems.length) {
      return { changed: false, steps: [], notes: [...problems, ...warnings, ...values], result: { ...result, failed: true, msg: `${summary}\n  preflight FAILED, nothing was changed:\n    ${problems.join('\n    ')}${warnings.length ? `\n  warnings:\n    ${warnings.join('\n    ')}` : ''}${values.length ? `\n  ${values.join('\n  ')}` : ''}` } };
    }
    // the plan shows the snapshot's own time and revision (stable, so a saved plan still applies); the live
    // cluster's revision moves every second and is reported when the run gets here
    const snapNote = manifest ? [`the snapshot was taken ${manifest.time} at revision ${manifest.revision}: every write after it is lost (the run reports how many revisions)`] : [];
    return { changed: false, steps: [], notes: [summary, ...snapNote, ...warnings, ...values], result: { ...result, msg: `${summary}; all checks passed${loss ? `\n  ${loss}` : ''}${warnings.length ? `\n  warnings:\n    ${warnings.join('\n    ')}` : ''}${values.length ? `\n  ${values.join('\n  ')}` : ''}` } };
  },
};
