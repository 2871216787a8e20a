import { shellJoin, shellQuote } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
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
  /**
   * Continue an interrupted restore of the same run (same ts) from the phase its node reached (read from the
   * phase file) and the marker it left: the kept data is never kept twice, a partial restore is set aside.
   */
  resume?: { phase: RestorePhase; kept: KeptDir[] };
}

/** How far a node's restore got (written to the phase file as each part completes). */
export type RestorePhase = 'keeping' | 'kept' | 'restored' | 'placed';

export function phaseFileOf(markerFile: string): string {
  return `${markerFile.replace(/\.json$/, '')}.phase`;
}

function phaseCmd(markerFile: string, phase: RestorePhase): string {
  return `printf '%s\\n' ${phase} > ${shellQuote(phaseFileOf(markerFile))}`;
}

/** The marker a restore writes before anything moves (read by etcd_rollback, and by a resumed restore). */
export interface RestoreMarker {
  time: string;
  data_dir: string;
  wal_dir?: string;
  kept: KeptDir[];
  sha256?: string;
  [k: string]: unknown;
}

export function parseMarker(text: string, file: string, host: string): RestoreMarker {
  try {
    const m = JSON.parse(text) as RestoreMarker;
    if (m && typeof m.time === 'string' && Array.isArray(m.kept)) return m;
  } catch {}
  throw new LifeboatError('E_TASK', `${file} is not a restore marker (valid JSON with time and kept)`, { host, hint: 'look at it; move it aside to restore afresh' });
}

export interface RestoreRender {
  steps: Step[];
  kept: KeptDir[];
  marker: RestoreMarker;
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

/** Moves the restored tmp dir into place; `again`: a placement cut short may have done part of it already. */
function placeCmd(d: DirState, tmp: string, inner: string | undefined, again = false): string {
  const t = shellQuote(tmp);
  if (d.exists && d.mountpoint) {
    if (inner) {
      const mv = shellJoin(['mv', '-T', `${tmp}/${inner}`, `${d.path}/${inner}`]);
      return again ? `{ if [ -e ${shellQuote(`${tmp}/${inner}`)} ]; then ${mv}; fi; rmdir ${t} 2>/dev/null || [ ! -e ${t} ]; }` : `${mv} && ${shellJoin(['rmdir', tmp])}`;
    }
    const mv = `${shellJoin(['find', tmp, '-mindepth', '1', '-maxdepth', '1', '-exec', 'mv', '-t', d.path, '{}', '+'])} && ${shellJoin(['rmdir', tmp])}`;
    return again ? `{ if [ -e ${t} ]; then ${mv}; fi; }` : mv;
  }
  const mv = shellJoin(['mv', '-T', tmp, d.path]);
  return again ? `{ if [ -e ${t} ]; then ${mv}; fi; }` : mv;
}

const PHASES: RestorePhase[] = ['keeping', 'kept', 'restored', 'placed'];

/** Keep steps an interrupted keep can run again: each directory moved once, a mount point's remaining entries. */
function resumeKeep(kept: KeptDir[], steps: Step[]): void {
  for (const k of kept) {
    const cmd =
      k.mode === 'contents'
        ? `${shellJoin(['mkdir', '-p', '-m', '700', k.kept_at])} && ${shellJoin(['find', k.dir, '-mindepth', '1', '-maxdepth', '1', '!', '-name', '.lifeboat-*', '-exec', 'mv', '-t', k.kept_at, '{}', '+'])}`
        : `if [ -e ${shellQuote(k.dir)} ] && [ ! -e ${shellQuote(k.kept_at)} ]; then ${shellJoin(['mv', '-T', k.dir, k.kept_at])}; fi`;
    steps.push({ kind: 'exec', cmd, description: `finish keeping the old data of ${k.dir} in ${k.kept_at}`, destructive: `moves the current data of ${k.dir} aside to ${k.kept_at}` });
  }
}

function appendCmd(steps: Step[], extra: string): void {
  const last = steps[steps.length - 1];
  if (last?.kind === 'exec') last.cmd = `${last.cmd} && ${extra}`;
}

export function renderRestore(inp: RestoreInput): RestoreRender {
  const { member: m, plan, ts } = inp;
  const steps: Step[] = [];
  const kept: KeptDir[] = [];
  /** Has this node's interrupted restore already finished phase `p`? (never, for a fresh restore) */
  const reached = (p: RestorePhase): boolean => inp.resume !== undefined && PHASES.indexOf(inp.resume.phase) >= PHASES.indexOf(p);
  steps.push({
    kind: 'exec',
    cmd: `printf '%s  %s\\n' ${shellQuote(inp.sha256)} ${shellQuote(inp.snapshot)} | sha256sum -c --status -`,
    description: `check that ${inp.snapshot} has the manifest's sha256 ${inp.sha256.slice(0, 12)}…`,
  });
  const keepSteps: Step[] = [];
  // On resume the directories' layout comes from the marker: the data dir may be gone (moved) or half moved.
  const dirOf = (d: DirState): DirState => {
    if (!inp.resume) return d;
    const contents = inp.resume.kept.find((x) => x.dir === d.path)?.mode === 'contents';
    return { path: d.path, exists: contents, mountpoint: contents };
  };
  const data = dirOf(inp.data);
  const wal = inp.wal ? dirOf(inp.wal) : undefined;
  if (inp.resume) {
    kept.push(...inp.resume.kept);
    if (!reached('kept')) resumeKeep(inp.resume.kept, keepSteps);
  } else {
    keepDir(inp.data, ts, keepSteps, kept, 'data dir');
    if (inp.wal) keepDir(inp.wal, ts, keepSteps, kept, 'wal dir');
  }
  const marker: RestoreMarker = {
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
  if (!inp.resume) {
    steps.push({
      kind: 'exec',
      cmd: `${shellJoin(['mkdir', '-p', parentOf(inp.markerFile)])} && { if [ -f ${shellQuote(inp.markerFile)} ]; then ${shellJoin(['mv', inp.markerFile, `${inp.markerFile}.before-${ts}`])}; fi; } && printf '%s\\n' ${shellQuote(JSON.stringify(marker))} > ${shellQuote(inp.markerFile)} && ${phaseCmd(inp.markerFile, keepSteps.length ? 'keeping' : 'kept')}`,
      description: `record where the old data will go in ${inp.markerFile} (for rollback)`,
    });
  }
  if (keepSteps.length) {
    appendCmd(keepSteps, phaseCmd(inp.markerFile, 'kept'));
    steps.push(...keepSteps);
  }
  const dataTmp = tmpFor(data, ts);
  const walTmp = wal ? tmpFor(wal, ts) : undefined;
  const parents = [...new Set([parentOf(inp.data.path), ...(inp.wal ? [parentOf(inp.wal.path)] : [])])];
  if (!reached('restored')) {
    if (inp.resume) {
      // a restore cut short left its output in the temporary dirs: set aside (never deleted), then again. The
      // name's time is the node's, at run time: the command text stays the same between a plan and its apply.
      const asides = [dataTmp, ...(walTmp ? [walTmp] : [])].map(
        (t) => `if [ -e ${shellQuote(t)} ]; then mv -T ${shellQuote(t)} ${shellQuote(`${t}.partial-`)}"$(date -u +%Y%m%dT%H%M%SZ)"; fi`,
      );
      steps.push({ kind: 'exec', cmd: asides.join('; '), description: 'set aside what the interrupted restore wrote (kept, not deleted)' });
    }
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
      })} && ${phaseCmd(inp.markerFile, 'restored')}`,
      description: `restore as ${m.name} (${m.peer_url}) of ${plan.members.length} members into ${dataTmp}`,
      destructive: `replaces the etcd data in ${inp.data.path} with the snapshot`,
      timeoutMs: 60 * 60_000,
    });
  }
  if (!reached('placed')) {
    const again = reached('restored'); // a placement cut short may have done part of it
    const place = [placeCmd(data, dataTmp, 'member', again)];
    if (wal && walTmp) place.push(placeCmd(wal, walTmp, undefined, again));
    steps.push({ kind: 'exec', cmd: `${place.join(' && ')} && ${phaseCmd(inp.markerFile, 'placed')}`, description: `move the restored data into ${inp.data.path}${inp.wal ? ` and ${inp.wal.path}` : ''}` });
  }
  if (inp.owner && inp.owner !== 'root') {
    const o = shellQuote(inp.owner);
    const targets = [data.exists && data.mountpoint ? `${inp.data.path}/member` : inp.data.path, ...(inp.wal ? [inp.wal.path] : [])];
    steps.push({
      kind: 'exec',
      cmd: `if id -u ${o} >/dev/null 2>&1; then ${shellJoin(['chown', '-R', `${inp.owner}:`, ...targets])}; fi`,
      description: `give the restored data back to ${inp.owner}`,
    });
  }
  return { steps, kept, marker };
}
