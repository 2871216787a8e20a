import type { Connection } from '../../connection/types.js';
import type { Vars } from '../../inventory/types.js';
import type { Probe } from '../types.js';
import { hostVarsOf, plannedMember } from './cluster.js';
import type { LiveMembers } from './fallbacks.js';
import { etcdctlIn, observeMembers } from './observe.js';
import type { EtcdFacts } from './types.js';

/**
 * The member list as a running member sees it (through etcdctl on its node, or the SSH tunnel), for the hosts
 * that cannot describe themselves; undefined when no member answers.
 */
export async function readLiveMembers(
  hosts: string[],
  facts: Map<string, EtcdFacts>,
  conns: Map<string, Connection>,
  vars: Vars,
  self: string,
  how: Pick<Probe, 'become' | 'signal'>,
): Promise<LiveMembers | undefined> {
  const running = hosts.filter((h) => facts.get(h)?.running && conns.has(h));
  const members = running.map((h) => plannedMember(h, hostVarsOf(vars, self, h)));
  const views = await observeMembers(members, async (h) => conns.get(h) as Connection, (h) => etcdctlIn(facts.get(h)), how);
  const v = views.find((x) => x.reachable && x.members?.length);
  return v?.members ? { seen_from: v.host, members: v.members.map(({ name, peer_urls, client_urls }) => ({ name, peer_urls, client_urls })) } : undefined;
}
