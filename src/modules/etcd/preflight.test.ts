import { describe, expect, it } from 'vitest';
import { FakeConnection, fakeCtx } from '../../../test/modules/fake.js';
import { LifeboatError } from '../../errors.js';
import { etcdPreflightModule } from './preflight.js';

const rec = (kind: string, arg: string, content: string) => `@@LB ${kind} ${arg}\n${Buffer.from(content).toString('base64')}\n`;
const tools = rec('tool', 'etcdctl', '/usr/bin/etcdctl\netcdctl version: 3.4.23');

/** A member whose running etcd uses these flags. */
function member(host: string, name: string, peer: string): FakeConnection {
  const argv = ['/usr/bin/etcd', `--name=${name}`, `--initial-advertise-peer-urls=${peer}`, '--initial-cluster-token=tok'].join('\n');
  return new FakeConnection(host).on('emit proc', { stdout: rec('proc', 'pidfile:1:same', argv) + tools });
}

describe('etcd_preflight on fake connections', () => {
  it('refuses to guess a member that has no configuration on its host and none recorded, naming the variables', async () => {
    const conns: Record<string, FakeConnection> = { a: member('a', 'etcd-a', 'https://10.0.0.1:2380'), d: new FakeConnection('d') };
    const vars = { groups: { etcd: ['a', 'd'] }, hostvars: { a: { ansible_host: '10.0.0.1' }, d: { ansible_host: '10.0.0.4', etcd_client_url: 'https://10.0.0.4:2379' } } };
    const ctx = fakeCtx({ backup_dir: '/nonexistent-lifeboat-backups' }, conns.a as FakeConnection, { vars, connect: async (h: string) => conns[h] as FakeConnection });
    const problems = (await etcdPreflightModule.plan(ctx)).result?.problems as string[];
    expect(problems).toContain(
      "d: no etcd configuration found on the host and none recorded for it in the snapshot's manifest or a running member's member list: its name, peer url would be a guess (etcd-d https://10.0.0.4:2380) — set etcd_name, etcd_peer_url for d in the inventory",
    );
  });

  it('reports every problem at once: an unreachable master, a name and a peer URL that disagree, no snapshot', async () => {
    const conns: Record<string, FakeConnection> = {
      a: member('a', 'etcd-a', 'https://10.0.0.1:2380'),
      b: member('b', 'old-b', 'https://10.0.0.2:2380'),
      c: member('c', 'etcd-c', 'https://10.9.9.9:2380'),
    };
    const vars = {
      groups: { etcd: ['a', 'b', 'c'], kube_master: ['a', 'm'] },
      hostvars: {
        a: { ansible_host: '10.0.0.1' },
        b: { ansible_host: '10.0.0.2', etcd_name: 'etcd-b' },
        c: { ansible_host: '10.0.0.3', etcd_peer_url: 'https://10.0.0.3:2380' },
      },
    };
    const ctx = fakeCtx({ backup_dir: '/nonexistent-lifeboat-backups' }, conns.a as FakeConnection, {
      vars,
      connect: async (h: string) => {
        const c = conns[h];
        if (!c) throw new LifeboatError('E_UNREACHABLE', `ssh ${h}: connection refused`);
        return c;
      },
    });
    const op = await etcdPreflightModule.plan(ctx);
    expect(op.steps).toEqual([]);
    expect(op.result?.failed).toBe(true);
    const problems = op.result?.problems as string[];
    expect(problems).toContain('m: unreachable: ssh m: connection refused');
    expect(problems.join('\n')).toContain('b: the plan restores it as "etcd-b" but its etcd runs with --name old-b (process; etcd_name is set in the inventory)');
    expect(problems.join('\n')).toContain('c: the plan gives peer URL https://10.0.0.3:2380 but its etcd advertises https://10.9.9.9:2380');
    expect(problems.join('\n')).toContain('no snapshot given and none with a manifest in /nonexistent-lifeboat-backups');
    expect(op.result?.msg).toContain('preflight FAILED, nothing was changed');
    // read-only: only probes ran (no mv, no restore, no service)
    for (const c of Object.values(conns)) for (const cmd of c.execs) expect(cmd).not.toMatch(/\bmv\b|snapshot restore|service \S+ (stop|start)|systemctl/);
  });

  it('passes a consistent cluster and warns about an even member count', async () => {
    const conns: Record<string, FakeConnection> = {
      a: member('a', 'etcd-a', 'https://10.0.0.1:2380'),
      b: member('b', 'etcd-b', 'https://10.0.0.2:2380'),
    };
    const vars = { groups: { etcd: ['a', 'b'] }, hostvars: { a: { ansible_host: '10.0.0.1' }, b: { ansible_host: '10.0.0.2' } } };
    // the cluster plan uses the discovered facts when they are in hostvars
    const ctx = fakeCtx({ fresh: true }, conns.a as FakeConnection, { vars, connect: async (h: string) => conns[h] as FakeConnection });
    const op = await etcdPreflightModule.plan(ctx);
    expect(op.result?.problems).toEqual([]);
    expect(op.result?.failed).toBeUndefined();
    expect((op.result?.warnings as string[] | undefined)?.join('\n')).toContain('2 etcd members');
    expect(op.result?.initial_cluster).toBe('etcd-a=https://10.0.0.1:2380,etcd-b=https://10.0.0.2:2380');
  });
});
