import { describe, expect, it } from 'vitest';
import { observeMembers } from './observe.js';
import type { PlannedMember } from './types.js';

const member = (host: string): PlannedMember => ({
  host,
  name: `etcd-${host}`,
  peer_url: `https://${host}:2380`,
  client_url: `https://${host}:2379`,
  data_dir: '/var/lib/etcd',
  tls: {} as PlannedMember['tls'],
});

class OfflineError extends Error {
  override name = 'OfflineError';
}

describe('observeMembers', () => {
  it('reports a host that cannot be reached as an unreachable member', async () => {
    const views = await observeMembers([member('a')], async () => {
      throw new Error('connect ECONNREFUSED');
    }, () => undefined);
    expect(views[0]).toMatchObject({ host: 'a', reachable: false, healthy: false });
    expect(views[0]?.error).toContain('ECONNREFUSED');
  });

  it('passes an offline plan through, so the plan says "unknown until run" rather than "unreachable"', async () => {
    await expect(
      observeMembers([member('a')], async () => {
        throw new OfflineError('offline plan: not connecting to a');
      }, () => undefined),
    ).rejects.toThrow('offline plan');
  });
});
