import { LifeboatError } from '../../errors.js';
import type { ModuleContext, ModuleDef } from '../types.js';
import { clusterPlan, memberFor, withStagedTools } from './cluster.js';
import { gatherFacts } from './facts.js';
import { localSnapshotDigest, plainNameOf, readManifest, resolveLocal } from './local-snapshot.js';
import { probeDirs, readFileCmd } from './node-probe.js';
import { type KeptDir, parseMarker, type RestorePhase, phaseFileOf, renderRestore } from './restore-steps.js';
import { clusterSchemaProps } from './status.js';
import { requireOfflineTool } from './version.js';

export interface EtcdRestoreArgs {
  group?: string;
  members?: Array<{ host: string; [k: string]: unknown }>;
  token?: string;
  /** The snapshot on the controller (its manifest gives the sha256). */
  snapshot: string;
  /** Where the snapshot was copied on the node (default /var/lib/lifeboat/snapshots). */
  remote_dir?: string;
  /** sha256 to check when the snapshot has no manifest. */
  sha256?: string;
  /** Owner of the restored data (default: the old data dir's owner, else etcd). */
  owner?: string;
  /** Directory on the node for the rollback marker. */
  state_dir?: string;
  /** One timestamp for every node of a restore (default: now). */
  ts?: string;
  /** Continue the interrupted restore whose marker has this `ts` (from its phase file); otherwise a fresh restore. */
  resume?: boolean;
}

export const MARKER_NAME = 'etcd-restore.json';

/**
 * Where an interrupted restore of run `ts` stopped on this node: its marker (the data it kept) and phase file.
 * Undefined when this node has no marker of that run (the interrupted run never got here: restore afresh).
 */
async function resumePoint(conn: ModuleContext['conn'], markerFile: string, ts: string, sha: string, become: boolean, host: string): Promise<{ phase: RestorePhase; kept: KeptDir[] } | undefined> {
  const r = await conn.exec(`${readFileCmd(markerFile)}; printf '\\n@@PHASE '; ${readFileCmd(phaseFileOf(markerFile))}`, { become });
  const [markerText = '', phaseText = ''] = r.stdout.split('\n@@PHASE ');
  if (!markerText.trim()) return undefined;
  const marker = parseMarker(markerText, markerFile, host);
  if (marker.time !== ts) return undefined;
  if (marker.sha256 && marker.sha256 !== sha) {
    throw new LifeboatError('E_PREFLIGHT', `the interrupted restore ${ts} restored another snapshot (sha256 ${marker.sha256.slice(0, 12)}…) here`, {
      host,
      hint: 'resume with the snapshot it was restoring: the command the interrupted run printed (its lock records the snapshot)',
    });
  }
  const p = phaseText.trim();
  const phase: RestorePhase = p === 'kept' || p === 'restored' || p === 'placed' ? p : 'keeping';
  return { phase, kept: marker.kept };
}

export function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Restores a snapshot on this node with its own --name/--initial-advertise-peer-urls and the cluster's shared
 * --initial-cluster/--initial-cluster-token (one plan for every node). Refuses while etcd runs here. Keeps the
 * old data (moved aside, never deleted) and records where in a marker file for etcd_rollback.
 */
export const etcdRestoreModule: ModuleDef<EtcdRestoreArgs> = {
  name: 'etcd_restore',
  summary: "Restore an etcd snapshot on this member with its own flags; old data moved aside, never deleted",
  schema: {
    type: 'object',
    required: ['snapshot'],
    properties: {
      ...clusterSchemaProps,
      snapshot: { type: 'string', minLength: 1 },
      remote_dir: { type: 'string', pattern: '^/' },
      sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      owner: { type: 'string' },
      state_dir: { type: 'string', pattern: '^/' },
      ts: { type: 'string', pattern: '^[0-9A-Za-z]+$' },
      resume: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  async plan(ctx) {
    const plan = clusterPlan(ctx.vars, ctx.host, ctx.args);
    const me = memberFor(plan, ctx.host);
    const local = resolveLocal(ctx.args.snapshot);
    const manifest = await readManifest(local);
    let sha = ctx.args.sha256 ?? manifest?.sha256;
    if (!sha) sha = (await localSnapshotDigest(local)).sha256;
    const remote = `${ctx.args.remote_dir ?? '/var/lib/lifeboat/snapshots'}/${plainNameOf(local)}`;
    const facts = withStagedTools(await gatherFacts(ctx), ctx.vars);
    const tool = requireOfflineTool(facts, ctx.host);
    const notes = [...plan.notes];
    if (facts.running) {
      if (!ctx.check) {
        throw new LifeboatError('E_PREFLIGHT', `etcd is running on this host (pid ${facts.pid}); refusing to restore under it`, {
          host: ctx.host,
          hint: 'stop etcd on every member first (the etcd-restore playbook does); a member left running rejoins and corrupts the restored cluster',
        });
      }
      notes.push(`etcd is running now (pid ${facts.pid}); it must be stopped before this step runs`);
    }
    const dirs = await probeDirs(ctx.conn, [me.data_dir, ...(me.wal_dir ? [me.wal_dir] : [])], ctx.become);
    const data = dirs.get(me.data_dir) ?? { path: me.data_dir, exists: false, mountpoint: false };
    const walSeparate = me.wal_dir && !me.wal_dir.startsWith(`${me.data_dir.replace(/\/+$/, '')}/`);
    const wal = walSeparate && me.wal_dir ? (dirs.get(me.wal_dir) ?? { path: me.wal_dir, exists: false, mountpoint: false }) : undefined;
    const ts = ctx.args.ts ?? stamp();
    const owner = ctx.args.owner ?? data.owner ?? 'etcd';
    const markerFile = `${ctx.args.state_dir ?? '/var/lib/lifeboat'}/${MARKER_NAME}`;
    const resume = ctx.args.resume ? await resumePoint(ctx.conn, markerFile, ts, sha, ctx.become, ctx.host) : undefined;
    if (resume) notes.push(`continuing the interrupted restore ${ts} from its phase "${resume.phase}"; the old data stays where it was kept`);
    const r = renderRestore({ plan, member: me, tool, snapshot: remote, sha256: sha, ts, data, ...(wal ? { wal } : {}), owner, markerFile, ...(resume ? { resume } : {}) });
    if (!data.exists) notes.push(`${me.data_dir} does not exist yet: nothing to keep`);
    return {
      changed: true,
      steps: r.steps,
      notes: [
        ...notes,
        `restore as ${me.name} ${me.peer_url}; --initial-cluster=${plan.initial_cluster} --initial-cluster-token=${plan.token}` +
          `${tool.bump ? ' --bump-revision --mark-compacted' : ` (${tool.kind} ${tool.version.major}.${tool.version.minor}.${tool.version.patch}: no --bump-revision)`}`,
        ...r.kept.map((k) => `old data of ${k.dir} kept at ${k.kept_at}`),
      ],
      result: {
        name: me.name,
        data_dir: me.data_dir,
        kept: r.kept,
        marker: markerFile,
        initial_cluster: plan.initial_cluster,
        token: plan.token,
        bump_revision: tool.bump,
        ...(manifest ? { snapshot_revision: manifest.revision, snapshot_keys: manifest.total_keys } : {}),
      },
    };
  },
};
