import type { ModuleDef } from '../types.js';
import { type ClusterArgs, clusterPlan, factsOf, hostVarsOf } from './cluster.js';
import { chooseSource, describeView, judgeCluster } from './judge.js';
import { etcdctlIn, type MemberView, observeMembers } from './observe.js';

export type EtcdStatusArgs = ClusterArgs;

export const clusterSchemaProps = {
  group: { type: 'string' },
  token: { type: 'string' },
  members: {
    type: 'array',
    items: {
      type: 'object',
      required: ['host'],
      properties: {
        host: { type: 'string' },
        name: { type: 'string' },
        peer_url: { type: 'string' },
        client_url: { type: 'string' },
        data_dir: { type: 'string' },
        wal_dir: { type: 'string' },
        tls: { type: 'object' },
      },
    },
  },
} as const;

/**
 * Health and status of every member, each read on its own node with its TLS files: member list, leader,
 * raft term/index, revision, DB size, alarms; and the member to take a snapshot from. Read-only: no steps.
 */
export const etcdStatusModule: ModuleDef<EtcdStatusArgs> = {
  name: 'etcd_status',
  summary: 'Health and status of every etcd member; chooses the snapshot source (read-only)',
  schema: { type: 'object', properties: { ...clusterSchemaProps }, additionalProperties: false },
  async plan(ctx) {
    const plan = clusterPlan(ctx.vars, ctx.host, ctx.args);
    const etcdctlOf = (h: string) => etcdctlIn(factsOf(hostVarsOf(ctx.vars, ctx.host, h)));
    const views = await observeMembers(plan.members, (h) => ctx.connect(h), etcdctlOf, ctx);
    const source = chooseSource(views);
    const verdict = judgeCluster(views, plan);
    const sourceMember = source ? plan.members.find((m) => m.host === source.host) : undefined;
    return {
      changed: false,
      steps: [],
      notes: [
        ...plan.notes,
        // Stable facts only (a saved plan is compared with a fresh one): no raft index, revision, or the
        // snapshot source (the member with the highest raft index, which moves between members as they write).
        ...(source ? [] : ['no healthy member to snapshot from']),
        ...views.map(stableView),
      ],
      result: {
        changed: false,
        members: views,
        seen: views.map(describeView),
        healthy: verdict.ok,
        problems: verdict.problems,
        ...(verdict.leader ? { leader: verdict.leader } : {}),
        leader_host: views.find((v) => verdict.leader !== undefined && v.member_id === verdict.leader)?.host ?? '',
        ...(verdict.cluster_id ? { cluster_id: verdict.cluster_id } : {}),
        ...(verdict.revision !== undefined ? { revision: verdict.revision } : {}),
        ...(source && sourceMember
          ? { source_host: source.host, source_name: sourceMember.name, source_endpoint: source.endpoint }
          : {}),
        initial_cluster: plan.initial_cluster,
        token: plan.token,
      },
    };
  },
};

/** A member as a plan shows it: health, ID, cluster, leader and member list (what must not change before apply). */
function stableView(v: MemberView): string {
  if (!v.reachable) return `${v.host}: unreachable`;
  const members = v.members?.map((m) => `${m.name}=${m.peer_urls.join('|')}`).join(',') ?? '?';
  const alarms = v.alarms.length ? `, alarms ${v.alarms.map((a) => `${a.alarm}@${a.member_id}`).join(',')}` : '';
  return `${v.host}: ${v.healthy ? 'healthy' : 'UNHEALTHY'}, member ${v.member_id}, cluster ${v.cluster_id}, leader ${v.leader}, members [${members}]${alarms}`;
}
