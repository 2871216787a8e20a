import { LifeboatError } from '../../errors.js';
import type { Vars } from '../../inventory/types.js';
import type { ClusterPlan, EtcdFacts, PlannedMember, ToolInfo } from './types.js';

/**
 * The one source of truth for a restore: every member's name, peer URL, client URL, directories and TLS files,
 * and the shared `--initial-cluster` / `--initial-cluster-token`. Every etcd module on every node computes it
 * from the same inputs (the inventory group's hostvars and their discovered `etcd_facts`), so no node can be
 * restored with flags that disagree with another's.
 *
 * Per host, first of: inventory variable (non-empty) → discovered (`etcd_facts`) → default.
 */

export interface ClusterArgs {
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

export function plannedMember(host: string, hv: Vars): PlannedMember {
  const f = factsOf(hv);
  const addr = str(hv.ansible_host) ?? host;
  const ca = str(hv.etcd_ca_file) ?? f?.config.client_tls.ca_file;
  const cert = str(hv.etcd_cert_file) ?? f?.config.client_tls.cert_file;
  const key = str(hv.etcd_key_file) ?? f?.config.client_tls.key_file;
  const wal = str(hv.etcd_wal_dir) ?? f?.config.wal_dir;
  const m: PlannedMember = {
    host,
    name: str(hv.etcd_name) ?? f?.config.name ?? `etcd-${host}`,
    peer_url: str(hv.etcd_peer_url) ?? f?.config.initial_advertise_peer_urls[0] ?? `https://${addr}:2380`,
    client_url: str(hv.etcd_client_url) ?? f?.config.advertise_client_urls[0] ?? `https://${addr}:2379`,
    data_dir: str(hv.etcd_data_dir) ?? f?.config.data_dir ?? '/var/lib/etcd',
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
  let members: PlannedMember[];
  if (args.members?.length) {
    members = args.members.map((m) => ({ ...plannedMember(m.host, hostVarsOf(vars, self, m.host)), ...m }) as PlannedMember);
  } else {
    members = groupHosts(vars, args.group ?? 'etcd', self).map((h) => plannedMember(h, hostVarsOf(vars, self, h)));
  }
  validate(members, self);
  const initial_cluster = members.map((m) => `${m.name}=${m.peer_url}`).join(',');
  let token = str(args.token) ?? str(vars.etcd_cluster_token) ?? str(vars.etcd_initial_cluster_token);
  if (!token) {
    const found = new Set<string>();
    for (const m of members) {
      const t = factsOf(hostVarsOf(vars, self, m.host))?.config.initial_cluster_token;
      if (t) found.add(t);
    }
    if (found.size > 1) notes.push(`members were started with different tokens (${[...found].join(', ')}); using the first`);
    token = [...found][0];
    if (token) notes.push(`cluster token "${token}" discovered from the running members`);
  }
  token ??= 'etcd-cluster-0';
  return { members, initial_cluster, token, notes };
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
