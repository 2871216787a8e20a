import type { ModuleDef } from '../types.js';
import { type ClusterArgs, clusterPlan, factsOf, hostVarsOf } from './cluster.js';
import { type Verdict, judgeCluster } from './judge.js';
import { etcdctlIn, type MemberView, observeMembers } from './observe.js';
import { clusterSchemaProps } from './status.js';

export interface EtcdVerifyArgs extends ClusterArgs {
  /** The snapshot's revision: every member must be at or above it. */
  min_revision?: number;
  /** Keep looking this long for the cluster to settle (leader election) before judging it failed. */
  timeout_s?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Between two looks while the cluster settles: short at first (a restored 3-member cluster elects its leader
 * within a second or so of starting, and a look that catches the election a moment too early should not cost
 * a whole second), then up to 1 s. Each look is one read-only etcdctl script per member.
 */
export function settleDelayMs(attempt: number): number {
  return Math.min(1000, 200 * 2 ** Math.floor(attempt / 3));
}

/**
 * Proves a restored cluster: endpoint health on every member, exactly one leader seen by all, one cluster ID,
 * N distinct member IDs (none 8e9e05c52164694d), names and peer URLs as planned, revision ≥ the snapshot's,
 * no alarms. Fails with what every member said. Read-only (no steps); in check mode it only says what it will check.
 */
export const etcdVerifyModule: ModuleDef<EtcdVerifyArgs> = {
  name: 'etcd_verify',
  summary: 'Verify a restored etcd cluster member by member (one leader, one cluster ID, planned members)',
  schema: {
    type: 'object',
    properties: { ...clusterSchemaProps, min_revision: { type: 'integer', minimum: 0 }, timeout_s: { type: 'number', minimum: 0 } },
    additionalProperties: false,
  },
  async plan(ctx) {
    const plan = clusterPlan(ctx.vars, ctx.host, ctx.args);
    const what = `${plan.members.length} members ${plan.members.map((m) => m.name).join(', ')}; one leader; one cluster ID`;
    // No result in a plan: what verification finds (leader, revision) is unknown until run.
    if (ctx.check) return { changed: false, steps: [], notes: [`will verify: ${what}`] };
    const etcdctlOf = (h: string) => etcdctlIn(factsOf(hostVarsOf(ctx.vars, ctx.host, h)));
    const deadline = Date.now() + (ctx.args.timeout_s ?? 60) * 1000;
    let verdict: Verdict;
    let views: MemberView[];
    for (let attempt = 0; ; attempt++) {
      views = await observeMembers(plan.members, (h) => ctx.connect(h), etcdctlOf, ctx);
      verdict = judgeCluster(views, plan, ctx.args.min_revision);
      if (verdict.ok || Date.now() >= deadline || ctx.signal?.aborted) break;
      await sleep(Math.min(settleDelayMs(attempt), Math.max(0, deadline - Date.now())));
    }
    const result = {
      changed: false,
      verified: verdict.ok,
      problems: verdict.problems,
      seen: verdict.seen,
      members: views,
      ...(verdict.leader ? { leader: verdict.leader } : {}),
      ...(verdict.leader_name ? { leader_name: verdict.leader_name } : {}),
      ...(verdict.cluster_id ? { cluster_id: verdict.cluster_id } : {}),
      ...(verdict.revision !== undefined ? { revision: verdict.revision } : {}),
    };
    if (verdict.ok) {
      return { changed: false, steps: [], result: { ...result, msg: `etcd verified: ${what}; leader ${verdict.leader_name ?? verdict.leader}` } };
    }
    const msg = `etcd verification FAILED:\n  problems:\n    ${verdict.problems.join('\n    ')}\n  seen, member by member:\n    ${verdict.seen.join('\n    ')}`;
    return { changed: false, steps: [], result: { ...result, failed: true, msg } };
  },
};
