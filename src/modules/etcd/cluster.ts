import { LifeboatError } from '../../errors.js';
import type { Vars } from '../../inventory/types.js';
import { type LiveMembers, listed, liveOf, recorded, type ShapeRef, shapeOf } from './fallbacks.js';
import type { ClusterPlan, EtcdFacts, PlannedField, PlannedMember, ToolInfo, ValueSource } from './types.js';

export type { LiveMembers, ShapeRef } from './fallbacks.js';

/**
 * The one source of truth for a restore: every member's name, peer URL, client URL, directories and TLS files,
 * and the shared `--initial-cluster` / `--initial-cluster-token`. Every etcd module on every node computes it
 * from the same inputs (the inventory group's hostvars and their discovered `etcd_facts`), so no node can be
 * restored with flags that disagree with another's.
 *
 * Per host, first of: inventory variable (non-empty) → discovered (`etcd_facts`) → default.
 */

export interface ClusterArgs {
  /** The snapshot shape to fall back on (default: the `etcd_snapshot_shape` variable). */
  shape?: ShapeRef;
  /** A surviving member's member list to fall back on first (default: the `etcd_live_members` variable). */
  live?: LiveMembers;
  /** Inventory group of the etcd members (default `etcd`). */
  group?: string;
  /** Explicit members (overrides discovery); each needs host, name, peer_url. */
  members?: Array<Partial<PlannedMember> & { host: string }>;
  token?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function hostVarsOf(vars: Vars, self: string, host: string): Vars {
  const hv = (vars.hostvars as Record<string, Vars> | undefined)?.[host];
  if (hv) return hv;
  return host === self ? vars : {};
}

/** A host's discovered etcd facts, wherever the executor put them (`etcd_facts`, `ansible_etcd_facts`, `ansible_facts.etcd_facts`). */
export function rawFactsOf(hv: Vars): EtcdFacts | undefined {
  const af = hv.ansible_facts as Vars | undefined;
  const f = (hv.etcd_facts ?? hv.ansible_etcd_facts ?? af?.etcd_facts) as EtcdFacts | undefined;
  return f && typeof f === 'object' ? f : undefined;
}

export function factsOf(hv: Vars): EtcdFacts | undefined {
  const f = rawFactsOf(hv);
  return f && typeof f === 'object' && f.config && f.source !== 'none' ? withStagedTools(f, hv) : undefined;
}

/**
 * Facts with the tools etcd_tools put on the node for this run (`etcd_tools` fact) in place of the node's own:
 * the operator pointed at them (etcd_tools_dir) on purpose.
 */
export function withStagedTools<F extends Pick<EtcdFacts, 'etcdctl' | 'etcdutl'>>(f: F, hv: Vars): F {
  const af = hv.ansible_facts as Vars | undefined;
  const t = (hv.etcd_tools ?? af?.etcd_tools) as Partial<Record<'etcdctl' | 'etcdutl', ToolInfo>> | undefined;
  if (!t || typeof t !== 'object') return f;
  return { ...f, ...(t.etcdctl ? { etcdctl: t.etcdctl } : {}), ...(t.etcdutl ? { etcdutl: t.etcdutl } : {}) };
}

export function groupHosts(vars: Vars, group: string, self: string): string[] {
  const groups = vars.groups as Record<string, string[]> | undefined;
  const hosts = groups?.[group];
  if (!hosts || hosts.length === 0) {
    throw new LifeboatError('E_INVENTORY', `inventory group "${group}" is missing or empty`, {
      host: self,
      hint: `put the etcd members in a group named "${group}" (or pass group: to the module)`,
    });
  }
  return hosts;
}

type Sources = Partial<Record<PlannedField, ValueSource>>;

export function plannedMember(host: string, hv: Vars, ref?: ShapeRef, sources: Sources = {}, live?: LiveMembers): PlannedMember {
  const f = factsOf(hv);
  const addr = str(hv.ansible_host) ?? host;
  const rec = recorded(ref, host, addr);
  const lm = f ? undefined : listed(live, addr);
  const fromList: ValueSource = { from: 'member-list', host: live?.seen_from ?? '' };
  const disc: ValueSource = { from: 'discovered', source: f?.source ?? 'none', files: f?.source_files ?? [] };
  const snap: ValueSource = { from: 'snapshot', file: ref?.file ?? '' };
  /** inventory variable → discovered → the snapshot's record → default; notes which one. */
  function pick<T>(field: PlannedField, variable: string, inv: T | undefined, found: T | undefined, kept: T | undefined, def: T, onList?: T): T;
  function pick<T>(field: PlannedField, variable: string, inv: T | undefined, found: T | undefined, kept: T | undefined, def?: T, onList?: T): T | undefined;
  function pick<T>(field: PlannedField, variable: string, inv: T | undefined, found: T | undefined, kept: T | undefined, def?: T, onList?: T): T | undefined {
    const [v, src]: [T | undefined, ValueSource | undefined] =
      inv !== undefined ? [inv, { from: 'inventory', variable }] : found !== undefined ? [found, disc] : onList !== undefined ? [onList, fromList] : kept !== undefined ? [kept, snap] : [def, def !== undefined ? { from: 'default' } : undefined];
    if (src) sources[field] = src;
    return v;
  }
  const tlsInv = [str(hv.etcd_ca_file), str(hv.etcd_cert_file), str(hv.etcd_key_file)] as const;
  const tlsOf = (t: { ca_file?: string; cert_file?: string; key_file?: string } | undefined) =>
    t && (t.ca_file || t.cert_file || t.key_file) ? t : undefined;
  const tlsFound = tlsOf(f?.config.client_tls);
  // per file: inventory, else the host's, else the recorded one; the source named is the first that gave any
  const tlsHost = tlsFound ?? tlsOf(rec?.tls) ?? {};
  pick('tls', 'etcd_ca_file/etcd_cert_file/etcd_key_file', tlsInv.some((x) => x) ? true : undefined, tlsFound ? true : undefined, tlsOf(rec?.tls) ? true : undefined);
  const ca = tlsInv[0] ?? tlsHost.ca_file;
  const cert = tlsInv[1] ?? tlsHost.cert_file;
  const key = tlsInv[2] ?? tlsHost.key_file;
  const wal = pick('wal_dir', 'etcd_wal_dir', str(hv.etcd_wal_dir), f?.config.wal_dir, rec?.wal_dir);
  const m: PlannedMember = {
    host,
    name: pick('name', 'etcd_name', str(hv.etcd_name), f?.config.name, rec?.name, `etcd-${host}`, lm?.name),
    peer_url: pick('peer_url', 'etcd_peer_url', str(hv.etcd_peer_url), f?.config.initial_advertise_peer_urls[0], rec?.peer_url, `https://${addr}:2380`, lm?.peer_urls[0]),
    client_url: pick('client_url', 'etcd_client_url', str(hv.etcd_client_url), f?.config.advertise_client_urls[0], rec?.client_url, `https://${addr}:2379`, lm?.client_urls[0]),
    data_dir: pick('data_dir', 'etcd_data_dir', str(hv.etcd_data_dir), f?.config.data_dir, rec?.data_dir, '/var/lib/etcd'),
    tls: { ...(ca ? { ca_file: ca } : {}), ...(cert ? { cert_file: cert } : {}), ...(key ? { key_file: key } : {}) },
  };
  if (wal) m.wal_dir = wal;
  return m;
}

function validate(members: PlannedMember[], self: string): void {
  const errs: string[] = [];
  const seen = new Map<string, string>();
  for (const m of members) {
    for (const [what, v] of [
      ['name', m.name],
      ['peer URL', m.peer_url],
    ] as const) {
      if (v.includes('{{')) errs.push(`${m.host}: ${what} "${v}" is an unrendered template`);
      const k = `${what}:${v}`;
      const prev = seen.get(k);
      if (prev) errs.push(`${m.host} and ${prev} have the same ${what} "${v}"`);
      seen.set(k, m.host);
    }
    if (/[,=\s]/.test(m.name)) errs.push(`${m.host}: name "${m.name}" may not contain ",", "=" or spaces`);
    if (m.name === 'default') errs.push(`${m.host}: name "default" is etcd's default name; set etcd_name`);
    for (const u of [m.peer_url, m.client_url]) if (!/^https?:\/\/[^/\s]+:\d+\/?$/.test(u)) errs.push(`${m.host}: "${u}" is not a URL like https://10.0.0.1:2380`);
    if (!m.data_dir.startsWith('/')) errs.push(`${m.host}: data dir "${m.data_dir}" is not an absolute path`);
  }
  if (errs.length) {
    throw new LifeboatError('E_PREFLIGHT', `the etcd members do not add up: ${errs.join('; ')}`, {
      host: self,
      hint: 'set etcd_name / etcd_peer_url per host in the inventory so that each member is unique',
    });
  }
}

/** The cluster plan from the variables visible to a task (hostvars + groups), or from explicit members. */
export function clusterPlan(vars: Vars, self: string, args: ClusterArgs = {}): ClusterPlan {
  const notes: string[] = [];
  const ref = args.shape ?? shapeOf(vars);
  const live = args.live ?? liveOf(vars);
  const sources: ClusterPlan['sources'] = {};
  const member = (h: string) => {
    const own: (typeof sources)[string] = {};
    sources[h] = own;
    return plannedMember(h, hostVarsOf(vars, self, h), ref, own, live);
  };
  let members: PlannedMember[];
  if (args.members?.length) {
    members = args.members.map((m) => ({ ...member(m.host), ...m }) as PlannedMember);
    for (const m of args.members) for (const k of ['name', 'peer_url', 'client_url', 'data_dir', 'wal_dir', 'tls'] as const) {
      const hs = sources[m.host];
      if (m[k] !== undefined && hs) hs[k] = { from: 'inventory', variable: 'members' };
    }
  } else {
    members = groupHosts(vars, args.group ?? 'etcd', self).map(member);
  }
  validate(members, self);
  const initial_cluster = members.map((m) => `${m.name}=${m.peer_url}`).join(',');
  const inv = str(args.token) ?? str(vars.etcd_cluster_token) ?? str(vars.etcd_initial_cluster_token);
  let token = inv;
  let token_source: ValueSource = { from: 'inventory', variable: str(args.token) ? 'token' : str(vars.etcd_cluster_token) ? 'etcd_cluster_token' : 'etcd_initial_cluster_token' };
  if (!token) {
    const found = new Set<string>();
    const files: string[] = [];
    let source: ValueSource = { from: 'default' };
    for (const m of members) {
      const f = factsOf(hostVarsOf(vars, self, m.host));
      const t = f?.config.initial_cluster_token;
      if (t && f) {
        found.add(t);
        if (source.from === 'default') source = { from: 'discovered', source: f.source, files: f.source_files };
        files.push(...f.source_files);
      }
    }
    if (found.size > 1) notes.push(`members were started with different tokens (${[...found].join(', ')}); using the first`);
    token = [...found][0];
    if (token) {
      notes.push(`cluster token "${token}" discovered from the running members`);
      token_source = source;
    } else if (ref && recordedAll(ref, members, vars, self)) {
      token = ref.shape.token;
      token_source = { from: 'snapshot', file: ref.file };
      notes.push(`cluster token "${token}" from the snapshot's manifest`);
    }
  }
  if (!token) token_source = { from: 'default' };
  token ??= 'etcd-cluster-0';
  return { members, initial_cluster, token, notes, sources, token_source };
}

/** Does the recorded shape describe these very hosts (same hosts, same addresses)? */
function recordedAll(ref: ShapeRef, members: PlannedMember[], vars: Vars, self: string): boolean {
  return members.every((m) => recorded(ref, m.host, str(hostVarsOf(vars, self, m.host).ansible_host) ?? m.host) !== undefined);
}

export function memberFor(plan: ClusterPlan, host: string): PlannedMember {
  const m = plan.members.find((x) => x.host === host);
  if (!m) {
    throw new LifeboatError('E_INVENTORY', `host ${host} is not one of the planned etcd members (${plan.members.map((x) => x.host).join(', ')})`, {
      host,
      hint: 'run etcd modules only on hosts of the etcd group',
    });
  }
  return m;
}
