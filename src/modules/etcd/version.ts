import { shellJoin } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import type { EtcdFacts } from './types.js';

/**
 * Which etcd tool does what, by version:
 * - 3.4: `ETCDCTL_API=3 etcdctl snapshot restore|status`; `--bump-revision`/`--mark-compacted` from 3.4.27.
 * - 3.5: `etcdutl snapshot restore|status` (etcdctl's are deprecated); bump from 3.5.10.
 * - 3.6: etcdctl has no `snapshot restore|status` any more; etcdutl only.
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(text: string | undefined): Version | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function versionAtLeast(v: Version, major: number, minor: number, patch = 0): boolean {
  return compareVersions(v, { major, minor, patch }) >= 0;
}

export interface OfflineTool {
  kind: 'etcdutl' | 'etcdctl';
  path: string;
  version: Version;
  /** Supports `--bump-revision` and `--mark-compacted`. */
  bump: boolean;
}

/** The tool for offline snapshot work (`snapshot restore|status`) on a node, or undefined when there is none. */
export function offlineTool(facts: Pick<EtcdFacts, 'etcdctl' | 'etcdutl'>): OfflineTool | undefined {
  const utl = facts.etcdutl;
  const utlV = parseVersion(utl?.version);
  if (utl && utlV) {
    const bump = utlV.major > 3 || (utlV.major === 3 && (utlV.minor >= 6 || (utlV.minor === 5 && utlV.patch >= 10)));
    return { kind: 'etcdutl', path: utl.path, version: utlV, bump };
  }
  const ctl = facts.etcdctl;
  const ctlV = parseVersion(ctl?.version);
  if (ctl && ctlV && !versionAtLeast(ctlV, 3, 6)) {
    const bump = ctlV.major === 3 && ctlV.minor === 4 && ctlV.patch >= 27;
    return { kind: 'etcdctl', path: ctl.path, version: ctlV, bump };
  }
  return undefined;
}

export function requireOfflineTool(facts: Pick<EtcdFacts, 'etcdctl' | 'etcdutl'>, host: string): OfflineTool {
  const t = offlineTool(facts);
  if (t) return t;
  const seen = [facts.etcdutl && `etcdutl ${facts.etcdutl.version}`, facts.etcdctl && `etcdctl ${facts.etcdctl.version}`]
    .filter(Boolean)
    .join(', ');
  throw new LifeboatError('E_PREFLIGHT', `no tool for offline snapshot restore/status (found: ${seen || 'none'})`, {
    host,
    hint: 'install etcdutl (etcd 3.5+) or etcdctl 3.4 on the node; etcdctl 3.6 no longer restores snapshots',
  });
}

/** The start of a command running the offline tool (`env ETCDCTL_API=3 etcdctl` or `etcdutl`). */
export function offlineArgv(tool: OfflineTool): string[] {
  return tool.kind === 'etcdctl' ? ['env', 'ETCDCTL_API=3', tool.path] : [tool.path];
}

/** `snapshot status -w json` of a file on the node. */
export function snapshotStatusCmd(tool: OfflineTool, file: string): string {
  return shellJoin([...offlineArgv(tool), 'snapshot', 'status', file, '-w', 'json']);
}

export const BUMP_REVISION = 1_000_000_000;

export interface RestoreFlags {
  snapshot: string;
  name: string;
  initialCluster: string;
  token: string;
  peerUrl: string;
  dataDir: string;
  walDir?: string;
}

/** `snapshot restore` with every per-node flag explicit (never the defaults). */
export function snapshotRestoreCmd(tool: OfflineTool, f: RestoreFlags): string {
  const argv = [
    ...offlineArgv(tool),
    'snapshot',
    'restore',
    f.snapshot,
    `--name=${f.name}`,
    `--initial-cluster=${f.initialCluster}`,
    `--initial-cluster-token=${f.token}`,
    `--initial-advertise-peer-urls=${f.peerUrl}`,
    `--data-dir=${f.dataDir}`,
  ];
  if (f.walDir) argv.push(`--wal-dir=${f.walDir}`);
  if (tool.bump) argv.push(`--bump-revision=${BUMP_REVISION}`, '--mark-compacted');
  return shellJoin(argv);
}
