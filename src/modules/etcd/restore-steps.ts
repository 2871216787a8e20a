import { shellJoin, shellQuote } from '../../connection/quote.js';
import type { Step } from '../types.js';
import type { ClusterPlan, PlannedMember } from './types.js';
import { type OfflineTool, snapshotRestoreCmd } from './version.js';

/**
 * The steps of a restore on one node, as a pure function of the cluster plan and what was found on the node.
 * Nothing is ever deleted: the current data (and a separate wal dir) is moved aside; when a directory is a
 * mount point its *contents* are moved into `<dir>/.lifeboat-<ts>/` (same filesystem: a rename, not a copy),
 * and the restore is written to a fresh directory on the same filesystem, then moved into place.
 */

export interface DirState {
  path: string;
  exists: boolean;
  mountpoint: boolean;
}

/** Where a directory's old data went. `contents`: the entries of a mount point moved into `kept_at`. */
export interface KeptDir {
  dir: string;
  kept_at: string;
  mode: 'moved' | 'contents';
}

export interface RestoreInput {
  plan: ClusterPlan;
  member: PlannedMember;
  tool: OfflineTool;
  snapshot: string;
  sha256: string;
  ts: string;
  data: DirState;
  wal?: DirState;
  owner?: string;
  markerFile: string;
}

export interface RestoreRender {
  steps: Step[];
  kept: KeptDir[];
  marker: Record<string, unknown>;
}

/** Moves the current entries of a mount point into `keep` (same filesystem), skipping earlier `.lifeboat-*` keeps. */
export function moveContentsCmd(dir: string, keep: string): string {
  return `${shellJoin(['mkdir', '-m', '700', keep])} && ${shellJoin(['find', dir, '-mindepth', '1', '-maxdepth', '1', '!', '-name', '.lifeboat-*', '-exec', 'mv', '-t', keep, '{}', '+'])}`;
}

function keepDir(d: DirState, ts: string, steps: Step[], kept: KeptDir[], what: string): void {
  if (!d.exists) return;
  if (d.mountpoint) {
    const keep = `${d.path}/.lifeboat-${ts}`;
    steps.push({ kind: 'exec', cmd: moveContentsCmd(d.path, keep), description: `keep the old ${what} (mount point): move its contents into ${keep}`, destructive: `moves the current ${what} aside to ${keep}` });
    kept.push({ dir: d.path, kept_at: keep, mode: 'contents' });
  } else {
    const keep = `${d.path}.lifeboat-${ts}`;
    steps.push({ kind: 'exec', cmd: shellJoin(['mv', '-T', d.path, keep]), description: `keep the old ${what}: move ${d.path} to ${keep}`, destructive: `moves the current ${what} aside to ${keep}` });
    kept.push({ dir: d.path, kept_at: keep, mode: 'moved' });
  }
}

function tmpFor(d: DirState, ts: string): string {
  return d.exists && d.mountpoint ? `${d.path}/.lifeboat-restore-${ts}` : `${d.path}.lifeboat-restore-${ts}`;
}

function parentOf(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function placeCmd(d: DirState, tmp: string, inner: string | undefined): string {
  if (d.exists && d.mountpoint) {
    if (inner) return `${shellJoin(['mv', '-T', `${tmp}/${inner}`, `${d.path}/${inner}`])} && ${shellJoin(['rmdir', tmp])}`;
    return `${shellJoin(['find', tmp, '-mindepth', '1', '-maxdepth', '1', '-exec', 'mv', '-t', d.path, '{}', '+'])} && ${shellJoin(['rmdir', tmp])}`;
  }
  return shellJoin(['mv', '-T', tmp, d.path]);
}

export function renderRestore(inp: RestoreInput): RestoreRender {
  const { member: m, plan, ts } = inp;
  const steps: Step[] = [];
  const kept: KeptDir[] = [];
  steps.push({
    kind: 'exec',
    cmd: `printf '%s  %s\\n' ${shellQuote(inp.sha256)} ${shellQuote(inp.snapshot)} | sha256sum -c --status -`,
    description: `check that ${inp.snapshot} has the manifest's sha256 ${inp.sha256.slice(0, 12)}…`,
  });
  const keepSteps: Step[] = [];
  keepDir(inp.data, ts, keepSteps, kept, 'data dir');
  if (inp.wal) keepDir(inp.wal, ts, keepSteps, kept, 'wal dir');
  const marker = {
    time: ts,
    host: m.host,
    name: m.name,
    data_dir: inp.data.path,
    ...(inp.wal ? { wal_dir: inp.wal.path } : {}),
    kept,
    snapshot: inp.snapshot,
    sha256: inp.sha256,
    initial_cluster: plan.initial_cluster,
    token: plan.token,
  };
  steps.push({
    kind: 'exec',
    cmd: `${shellJoin(['mkdir', '-p', parentOf(inp.markerFile)])} && { if [ -f ${shellQuote(inp.markerFile)} ]; then ${shellJoin(['mv', inp.markerFile, `${inp.markerFile}.before-${ts}`])}; fi; } && printf '%s\\n' ${shellQuote(JSON.stringify(marker))} > ${shellQuote(inp.markerFile)}`,
    description: `record where the old data will go in ${inp.markerFile} (for rollback)`,
  });
  steps.push(...keepSteps);
  const dataTmp = tmpFor(inp.data, ts);
  const walTmp = inp.wal ? tmpFor(inp.wal, ts) : undefined;
  const parents = [...new Set([parentOf(inp.data.path), ...(inp.wal ? [parentOf(inp.wal.path)] : [])])];
  steps.push({
    kind: 'exec',
    cmd: `${shellJoin(['mkdir', '-p', ...parents])} && ${snapshotRestoreCmd(inp.tool, {
      snapshot: inp.snapshot,
      name: m.name,
      initialCluster: plan.initial_cluster,
      token: plan.token,
      peerUrl: m.peer_url,
      dataDir: dataTmp,
      ...(walTmp ? { walDir: walTmp } : {}),
    })}`,
    description: `restore as ${m.name} (${m.peer_url}) of ${plan.members.length} members into ${dataTmp}`,
    destructive: `replaces the etcd data in ${inp.data.path} with the snapshot`,
    timeoutMs: 60 * 60_000,
  });
  const place = [placeCmd(inp.data, dataTmp, 'member')];
  if (inp.wal && walTmp) place.push(placeCmd(inp.wal, walTmp, undefined));
  steps.push({ kind: 'exec', cmd: place.join(' && '), description: `move the restored data into ${inp.data.path}${inp.wal ? ` and ${inp.wal.path}` : ''}` });
  if (inp.owner && inp.owner !== 'root') {
    const o = shellQuote(inp.owner);
    const targets = [inp.data.exists && inp.data.mountpoint ? `${inp.data.path}/member` : inp.data.path, ...(inp.wal ? [inp.wal.path] : [])];
    steps.push({
      kind: 'exec',
      cmd: `if id -u ${o} >/dev/null 2>&1; then ${shellJoin(['chown', '-R', `${inp.owner}:`, ...targets])}; fi`,
      description: `give the restored data back to ${inp.owner}`,
    });
  }
  return { steps, kept, marker };
}
