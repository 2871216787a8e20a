import { describe, expect, it } from 'vitest';
import { clusterPlan } from './cluster.js';
import { chooseSource, judgeCluster } from './judge.js';
import { type MemberView, parseView } from './observe.js';

/** etcdctl 3.4 `-w json` output as recorded from a lab member, wrapped as viewScript() emits it. */
function rec(p: { member: string; leader: string; cluster: string; index: number; rev: number; members: Array<[string, string, string]>; alarms?: string; health?: boolean }): string {
  const b = (s: string) => Buffer.from(s).toString('base64');
  const status = `[{"Endpoint":"https://x:2379","Status":{"header":{"cluster_id":${p.cluster},"member_id":${p.member},"revision":${p.rev},"raft_term":2},"version":"3.4.23","dbSize":24576,"leader":${p.leader},"raftIndex":${p.index},"raftTerm":2,"raftAppliedIndex":${p.index},"dbSizeInUse":16384}}]`;
  const health = `[{"endpoint":"https://x:2379","health":${p.health ?? true},"took":"1.3ms"}]`;
  const members = `{"header":{"cluster_id":${p.cluster},"member_id":${p.member},"raft_term":2},"members":[${p.members.map(([id, name, peer]) => `{"ID":${id},"name":"${name}","peerURLs":["${peer}"],"clientURLs":["x"]}`).join(',')}]}`;
  return `@@LB status\n${b(status)}\n@@LB health\n${b(health)}\n@@LB members\n${b(members)}\n@@LB alarms\n${b(p.alarms ?? '{}')}\n`;
}

const plan = clusterPlan({ groups: { etcd: ['h1', 'h2', 'h3'] }, hostvars: { h1: { ansible_host: '10.0.0.1' }, h2: { ansible_host: '10.0.0.2' }, h3: { ansible_host: '10.0.0.3' } } }, 'h1');
// IDs beyond 2^53, as etcd prints them
const ids = ['10501334649042878790', '12846193286484823021', '17213049474302154422'];
const planned: Array<[string, string, string]> = plan.members.map((m, i) => [ids[i]!, m.name, m.peer_url]);
const good = (i: number, leader = ids[1]!): MemberView =>
  parseView(`h${i + 1}`, `https://10.0.0.${i + 1}:2379`, rec({ member: ids[i]!, leader, cluster: '14841639068965178418', index: 100 + i, rev: 5000, members: planned }));

describe('etcd verify judgement', () => {
  it('keeps 64-bit member IDs exact', () => {
    expect(good(0).member_id).toBe(BigInt(ids[0]!).toString(16));
    expect(good(0).members?.map((m) => m.name)).toEqual(['etcd-h1', 'etcd-h2', 'etcd-h3']);
  });

  it('passes a sound 3-member cluster', () => {
    const v = judgeCluster([good(0), good(1), good(2)], plan, 4000);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.leader_name).toBe('etcd-h2');
    expect(v.cluster_id).toBe(BigInt('14841639068965178418').toString(16));
  });

  it('catches the multi-leader trap: every node restored with default flags', () => {
    // What three nodes say when each was restored without --name/--initial-cluster: one-member clusters, same IDs.
    const trap = [0, 1, 2].map((i) =>
      parseView(`h${i + 1}`, `https://10.0.0.${i + 1}:2379`, rec({ member: '10276657743932975437', leader: '10276657743932975437', cluster: '14841639068965178418', index: 4, rev: 5000, members: [['10276657743932975437', 'default', 'http://localhost:2380']] })),
    );
    const v = judgeCluster(trap, plan);
    expect(v.ok).toBe(false);
    expect(v.problems.join('\n')).toContain('member ID 8e9e05c52164694d found');
    expect(v.problems.join('\n')).toContain('member IDs are not distinct');
    expect(v.problems.join('\n')).toContain('3 members say they are the leader');
    expect(v.problems.join('\n')).toContain('h1: member list has 1 members, planned 3');
    expect(v.seen).toHaveLength(3);
  });

  it('catches members that disagree on the leader, a wrong peer URL, an alarm, an old revision, a dead member', () => {
    const wrongPeer: Array<[string, string, string]> = planned.map((p, i) => (i === 2 ? [p[0], p[1], 'https://10.9.9.9:2380'] : p));
    const views = [
      good(0),
      parseView('h2', 'u', rec({ member: ids[1]!, leader: ids[2]!, cluster: '14841639068965178418', index: 1, rev: 10, members: wrongPeer, alarms: `{"alarms":[{"memberID":${ids[1]},"alarm":1}]}` })),
      parseView('h3', 'https://10.0.0.3:2379', '@@LB status\nRXJyb3I6IGNvbnRleHQgZGVhZGxpbmUgZXhjZWVkZWQ=\n'),
    ];
    const v = judgeCluster(views, plan, 4000);
    const all = v.problems.join('\n');
    expect(v.ok).toBe(false);
    expect(all).toContain('members disagree on the leader');
    expect(all).toContain('h2: member "etcd-h3" has peer URLs https://10.9.9.9:2380, planned https://10.0.0.3:2380');
    expect(all).toContain('alarms raised: NOSPACE');
    expect(all).toContain('h2: revision 10 is below the snapshot\'s 4000');
    expect(all).toContain('h3: not answering at https://10.0.0.3:2379: Error: context deadline exceeded');
  });

  it('chooses the leader as the snapshot source when it is healthy without alarm, else the highest raft index', () => {
    // h2 is the leader (a stable choice between a plan and its apply), though h3 was seen at a higher index
    expect(chooseSource([good(0), good(1), good(2)])?.host).toBe('h2');
    const leaderDown: MemberView = { host: 'h2', endpoint: 'u', reachable: false, healthy: false, alarms: [] };
    expect(chooseSource([good(0), leaderDown, good(2)])?.host).toBe('h3');
    const alarmed = parseView('h3', 'u', rec({ member: ids[2]!, leader: ids[1]!, cluster: '1', index: 999, rev: 1, members: planned, alarms: `{"alarms":[{"memberID":${ids[2]},"alarm":1}]}` }));
    expect(chooseSource([good(0), good(1), alarmed])?.host).toBe('h2');
    expect(chooseSource([])).toBeUndefined();
  });
});
