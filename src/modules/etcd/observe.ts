import type { Connection } from '../../connection/types.js';
import { type CtlTarget, ctlCmd, idHex, parseJsonExact } from './etcdctl.js';
import { viewOverTunnel } from './observe-tunnel.js';
import type { Probe } from '../types.js';
import type { PlannedMember } from './types.js';

/**
 * What one member says about itself and the cluster, read with etcdctl on that member's own node against its
 * own client URL (so "seen from every member" is literal). Read-only.
 */
export interface MemberView {
  host: string;
  endpoint: string;
  reachable: boolean;
  healthy: boolean;
  error?: string;
  member_id?: string;
  cluster_id?: string;
  leader?: string;
  raft_term?: number;
  raft_index?: number;
  revision?: number;
  db_size?: number;
  version?: string;
  members?: Array<{ id: string; name: string; peer_urls: string[]; client_urls: string[] }>;
  alarms: Array<{ member_id: string; alarm: string }>;
}

const ALARMS: Record<string, string> = { '0': 'NONE', '1': 'NOSPACE', '2': 'CORRUPT' };

export function viewScript(t: CtlTarget): string {
  const part = (tag: string, args: string[]) =>
    `printf '@@LB %s\\n' ${tag}; ${ctlCmd(t, args)} 2>&1 | base64 -w0; printf '\\n'`;
  // endpoint status first; a member that does not answer it is not asked the rest (each would time out)
  return [
    `st=$(${ctlCmd(t, ['endpoint', 'status', '-w', 'json'])} 2>&1); rc=$?`,
    `printf '@@LB status\\n'; printf '%s' "$st" | base64 -w0; printf '\\n'`,
    '[ "$rc" -eq 0 ] || exit 0',
    part('health', ['endpoint', 'health', '-w', 'json']),
    part('members', ['member', 'list', '-w', 'json']),
    // No `alarm list`: it goes through raft (a WAL entry on every member), so a read-only plan would write to
    // etcd's data dir. Raised alarms come in endpoint status's `errors` instead (etcd >= 3.4).
  ].join('\n');
}

function sections(out: string): Map<string, string> {
  const m = new Map<string, string>();
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = /^@@LB (\S+)$/.exec(lines[i] as string);
    if (h) m.set(h[1] as string, Buffer.from(lines[++i] ?? '', 'base64').toString('utf8'));
  }
  return m;
}

function firstJson(text: string | undefined): unknown {
  if (!text) return undefined;
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (l.startsWith('{') || l.startsWith('[')) {
      try {
        return parseJsonExact(l);
      } catch {
        /* not this line */
      }
    }
  }
  return undefined;
}

function lastErrorLine(text: string | undefined): string {
  const ls = (text ?? '').split('\n').filter((l) => l.trim() && !l.startsWith('{"level"'));
  return (ls[ls.length - 1] ?? '').trim().slice(0, 300);
}

/** Parses the output of viewScript(). */
export function parseView(host: string, endpoint: string, out: string): MemberView {
  const s = sections(out);
  const v: MemberView = { host, endpoint, reachable: false, healthy: false, alarms: [] };
  type St = { Status?: { header?: Record<string, unknown>; leader?: unknown; raftIndex?: number; raftTerm?: number; dbSize?: number; version?: string; errors?: unknown[] } };
  const st = (firstJson(s.get('status')) as St[] | undefined)?.[0]?.Status;
  if (st?.header) {
    v.reachable = true;
    v.member_id = idHex(st.header.member_id);
    v.cluster_id = idHex(st.header.cluster_id);
    v.leader = idHex(st.leader);
    if (typeof st.raftTerm === 'number') v.raft_term = st.raftTerm;
    if (typeof st.raftIndex === 'number') v.raft_index = st.raftIndex;
    if (typeof st.header.revision === 'number') v.revision = st.header.revision;
    if (typeof st.dbSize === 'number') v.db_size = st.dbSize;
    if (st.version) v.version = st.version;
    for (const e of st.errors ?? []) {
      // AlarmMember in protobuf text form: "memberID:13458233497358212175 alarm:NOSPACE "
      const a = /memberID:(\d+)\s+alarm:(\w+)/.exec(String(e));
      if (a) v.alarms.push({ member_id: idHex(a[1]), alarm: a[2] as string });
    }
  } else v.error = lastErrorLine(s.get('status')) || 'no endpoint status';
  const health = (firstJson(s.get('health')) as Array<{ health?: boolean; error?: string }> | undefined)?.[0];
  v.healthy = health?.health === true;
  if (!v.healthy && health?.error && !v.error) v.error = health.error;
  type Ml = { members?: Array<{ ID?: unknown; name?: string; peerURLs?: string[]; clientURLs?: string[] }> };
  const ml = firstJson(s.get('members')) as Ml | undefined;
  if (ml?.members) {
    v.members = ml.members.map((m) => ({
      id: idHex(m.ID),
      name: m.name ?? '',
      peer_urls: m.peerURLs ?? [],
      client_urls: m.clientURLs ?? [],
    }));
  }
  type Al = { alarms?: Array<{ memberID?: unknown; alarm?: unknown }> };
  const al = firstJson(s.get('alarms')) as Al | undefined;
  for (const a of al?.alarms ?? []) {
    const alarm = { member_id: idHex(a.memberID), alarm: ALARMS[String(a.alarm ?? '')] ?? String(a.alarm) };
    if (!v.alarms.some((x) => x.member_id === alarm.member_id && x.alarm === alarm.alarm)) v.alarms.push(alarm);
  }
  return v;
}

const NO_ETCDCTL = /etcdctl'?: (No such file or directory|not found|command not found)/;
/** What to do on a node without etcd's tools (kubeadm runs etcd in a pod and puts none on the host). */
export const NO_ETCDCTL_HINT = "-e etcd_tools_dir=DIR puts etcd's tools from the controller there for the run";

/** What observeMembers needs of a member's facts: its etcdctl, null when known absent, undefined when unknown. */
export function etcdctlIn(f: { etcdctl?: { path: string } } | undefined): string | null | undefined {
  return f ? (f.etcdctl?.path ?? null) : undefined;
}

export function targetFor(m: PlannedMember, etcdctl: string | undefined): CtlTarget {
  return { etcdctl: etcdctl ?? 'etcdctl', endpoints: [m.client_url], tls: m.tls, commandTimeout: '5s', dialTimeout: '2s' };
}

/** Reads every member's view in parallel; an unreachable host gives a view with its error, never a throw. */
export async function observeMembers(
  members: PlannedMember[],
  connect: (host: string) => Promise<Connection>,
  /** The member's etcdctl on its node; null when its facts say there is none (then the SSH tunnel, no exec). */
  etcdctlOf: (host: string) => string | null | undefined,
  /** The task's become and cancel signal (Ctrl-C kills the reads). */
  how: Pick<Probe, 'become' | 'signal'> = { become: false },
): Promise<MemberView[]> {
  const { become } = how;
  return Promise.all(
    members.map(async (m) => {
      try {
        const conn = await connect(m.host);
        const etcdctl = etcdctlOf(m.host);
        if (etcdctl === null && conn.forward) return await viewOverTunnel(m, conn, become);
        const r = await conn.exec(viewScript(targetFor(m, etcdctl ?? undefined)), { timeoutMs: 60_000, become, ...(how.signal ? { signal: how.signal } : {}) });
        const v = parseView(m.host, m.client_url, r.stdout);
        if (v.error && NO_ETCDCTL.test(v.error)) {
          // no etcdctl found on the node after all: ask etcd from the controller through an SSH tunnel instead
          if (conn.forward) return await viewOverTunnel(m, conn, become);
          v.error = `no etcdctl on ${m.host} (${v.error}) — ${NO_ETCDCTL_HINT}`;
        }
        return v;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        return { host: m.host, endpoint: m.client_url, reachable: false, healthy: false, error: `cannot reach host: ${msg}`, alarms: [] };
      }
    }),
  );
}
