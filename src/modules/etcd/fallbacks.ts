import type { Vars } from '../../inventory/types.js';
import type { ClusterShape, MemberShape } from './types.js';

/**
 * What a restore falls back on for a host that cannot describe itself (no running etcd, no unit, env file,
 * manifest or config file): first a surviving member's member list, then the snapshot's recorded shape.
 */

/** The snapshot shape a restore may fall back on: `etcd_snapshot_shape` (set by etcd_preflight from the manifest). */
export interface ShapeRef {
  file: string;
  shape: ClusterShape;
}

/** A surviving member's member list (`etcd_live_members`, set by etcd_preflight when a host cannot describe itself). */
export interface LiveMembers {
  seen_from: string;
  members: Array<{ name: string; peer_urls: string[]; client_urls: string[] }>;
}

export function liveOf(vars: Vars): LiveMembers | undefined {
  const af = vars.ansible_facts as Vars | undefined;
  const r = (vars.etcd_live_members ?? af?.etcd_live_members) as LiveMembers | undefined;
  return r && typeof r === 'object' && Array.isArray(r.members) ? r : undefined;
}

const urlHost = (u: string): string | undefined => {
  try {
    return new URL(u).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
};

/** The listed member whose peer URL is at this address (a name is set only once the member has started). */
export function listed(live: LiveMembers | undefined, addr: string): LiveMembers['members'][number] | undefined {
  return live?.members.find((m) => m.name && m.peer_urls.some((u) => urlHost(u) === addr));
}

export function shapeOf(vars: Vars): ShapeRef | undefined {
  const af = vars.ansible_facts as Vars | undefined;
  const r = (vars.etcd_snapshot_shape ?? af?.etcd_snapshot_shape) as ShapeRef | undefined;
  return r && typeof r === 'object' && r.shape && Array.isArray(r.shape.members) ? r : undefined;
}

/** The recorded member of this host — only when the host still has the address it had at the backup (not a migration). */
export function recorded(ref: ShapeRef | undefined, host: string, addr: string): MemberShape | undefined {
  return ref?.shape.members.find((m) => m.host === host && m.address === addr);
}

