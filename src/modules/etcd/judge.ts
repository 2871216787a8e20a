import type { MemberView } from './observe.js';
import type { ClusterPlan } from './types.js';

/** The ID every member gets when restored with etcd's default flags (name "default", default peer URL/token). */
export const DEFAULT_FLAGS_MEMBER_ID = '8e9e05c52164694d';

export interface Verdict {
  ok: boolean;
  problems: string[];
  leader?: string;
  leader_name?: string;
  cluster_id?: string;
  revision?: number;
  /** One line per member: what it said. */
  seen: string[];
}

export function describeView(v: MemberView): string {
  if (!v.reachable) return `${v.host} (${v.endpoint}): unreachable — ${v.error ?? 'no answer'}`;
  const names = v.members?.map((m) => `${m.name}@${m.id}`).join(',') ?? '?';
  return (
    `${v.host} (${v.endpoint}): ${v.healthy ? 'healthy' : `UNHEALTHY${v.error ? ` — ${v.error}` : ''}`}, member ${v.member_id}, ` +
    `leader ${v.leader}, cluster ${v.cluster_id}, term ${v.raft_term}, index ${v.raft_index}, revision ${v.revision}, ` +
    `members [${names}]${v.alarms.length ? `, alarms ${v.alarms.map((a) => `${a.alarm}@${a.member_id}`).join(',')}` : ''}`
  );
}

/**
 * Judges a restored (or running) cluster against its plan: every member healthy, exactly one leader that
 * every member names, one cluster ID, N distinct member IDs (none the default-flags ID), member names and
 * peer URLs as planned, revision at or above the snapshot's, no alarms.
 */
export function judgeCluster(views: MemberView[], plan: ClusterPlan, minRevision?: number): Verdict {
  const problems: string[] = [];
  const n = plan.members.length;
  for (const v of views) {
    if (!v.reachable) problems.push(`${v.host}: not answering at ${v.endpoint}: ${v.error ?? 'no answer'}`);
    else if (!v.healthy) problems.push(`${v.host}: endpoint health is false${v.error ? ` (${v.error})` : ''}`);
  }
  const up = views.filter((v) => v.reachable);
  const ids = up.map((v) => v.member_id ?? '');
  const distinct = new Set(ids);
  if (distinct.size !== up.length) problems.push(`member IDs are not distinct: ${up.map((v) => `${v.host}=${v.member_id}`).join(', ')}`);
  if (ids.includes(DEFAULT_FLAGS_MEMBER_ID)) {
    problems.push(`member ID ${DEFAULT_FLAGS_MEMBER_ID} found: a member was restored with etcd's default flags (no --name/--initial-cluster)`);
  }
  const clusters = new Set(up.map((v) => v.cluster_id));
  if (clusters.size > 1) problems.push(`more than one cluster ID: ${up.map((v) => `${v.host}=${v.cluster_id}`).join(', ')}`);
  const leaders = new Set(up.map((v) => v.leader));
  const selfLeaders = up.filter((v) => v.leader !== undefined && v.leader === v.member_id);
  if (leaders.size > 1) problems.push(`members disagree on the leader: ${up.map((v) => `${v.host} sees ${v.leader}`).join(', ')}`);
  if (leaders.has('0000000000000000') || leaders.has('')) problems.push(`a member sees no leader`);
  if (selfLeaders.length > 1) problems.push(`${selfLeaders.length} members say they are the leader: ${selfLeaders.map((v) => v.host).join(', ')}`);
  if (up.length === n && selfLeaders.length === 0) problems.push('no member says it is the leader');
  const planned = new Map(plan.members.map((m) => [m.name, m.peer_url] as const));
  for (const v of up) {
    if (!v.members) {
      problems.push(`${v.host}: no member list`);
      continue;
    }
    if (v.members.length !== n) problems.push(`${v.host}: member list has ${v.members.length} members, planned ${n}`);
    for (const m of v.members) {
      const url = planned.get(m.name);
      if (url === undefined) problems.push(`${v.host}: member "${m.name}" (${m.id}) is not planned (planned: ${[...planned.keys()].join(', ')})`);
      else if (!m.peer_urls.includes(url)) problems.push(`${v.host}: member "${m.name}" has peer URLs ${m.peer_urls.join(',')}, planned ${url}`);
    }
    for (const name of planned.keys()) if (!v.members.some((m) => m.name === name)) problems.push(`${v.host}: planned member "${name}" is missing from its member list`);
    if (minRevision !== undefined && (v.revision ?? -1) < minRevision) problems.push(`${v.host}: revision ${v.revision} is below the snapshot's ${minRevision}`);
  }
  const alarms = new Set(up.flatMap((v) => v.alarms.map((a) => `${a.alarm} on ${a.member_id}`)));
  if (alarms.size) problems.push(`alarms raised: ${[...alarms].join(', ')}`);
  const leader = selfLeaders.length === 1 ? selfLeaders[0] : undefined;
  const leaderName = leader?.members?.find((m) => m.id === leader.member_id)?.name;
  const revs = up.map((v) => v.revision).filter((r): r is number => typeof r === 'number');
  return {
    ok: problems.length === 0 && up.length === n,
    problems: up.length !== n && problems.length === 0 ? [`only ${up.length} of ${n} members answered`] : problems,
    ...(leader?.member_id ? { leader: leader.member_id } : {}),
    ...(leaderName ? { leader_name: leaderName } : {}),
    ...(clusters.size === 1 && up[0]?.cluster_id ? { cluster_id: up[0].cluster_id } : {}),
    ...(revs.length ? { revision: Math.max(...revs) } : {}),
    seen: views.map(describeView),
  };
}

/** The member to snapshot: healthy, no alarm on it; the leader if it is such a member, else the highest raft index (inventory order on ties). */
export function chooseSource(views: MemberView[]): MemberView | undefined {
  const alarmed = new Set(views.flatMap((v) => v.alarms.map((a) => a.member_id)));
  const ok = views.filter((v) => v.reachable && v.healthy && v.member_id && !alarmed.has(v.member_id));
  // The leader when it qualifies: its log is the newest by definition, and the choice stays put while the
  // cluster runs (followers' raft indexes overtake each other between two looks, so "the highest" would move
  // between a plan and its apply). Else the highest raft index.
  const leader = ok.find((v) => v.leader !== undefined && v.member_id === v.leader);
  if (leader) return leader;
  let best: MemberView | undefined;
  for (const v of ok) if (!best || (v.raft_index ?? 0) > (best.raft_index ?? 0)) best = v;
  return best;
}
