import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labSkipReason } from './fixture.js';
import { footprint } from './footprint.js';
import { startLab } from './index.js';
import { nsOf, run, sleep } from './proc.js';

const why = labSkipReason() ?? (existsSync('/lib/systemd/systemd') ? undefined : 'no /lib/systemd/systemd');
if (why) console.warn(`[lab] skipping systemd lab tests: ${why}`);

const labCgroups = (id: number): string[] =>
  ['systemd', 'unified'].flatMap((h) => {
    try {
      return readdirSync(`/sys/fs/cgroup/${h}`).filter((n) => n.startsWith(`lifeboat-lab-${id}-`));
    } catch {
      return [];
    }
  });

/** Polls `cmd` on a host until its output matches, or fails with what it last saw. */
async function until(lab: Awaited<ReturnType<typeof startLab>>, host: string, cmd: string, ok: (out: string) => boolean): Promise<string> {
  let last = '';
  for (let i = 0; i < 150; i++) {
    last = (await lab.sh(host, cmd)).stdout.trim();
    if (ok(last)) return last;
    await sleep(100);
  }
  throw new Error(`${host}: \`${cmd}\` never matched; last: ${last}`);
}

describe.skipIf(why !== undefined)('systemd lab hosts', () => {
  it('boot systemd as PID 1 of their own namespace, run sshd and etcd as units, and leave the machine untouched', async () => {
    // canaries: systemd-tmpfiles would empty the machine's /tmp; Debian's etcd.service would make /var/lib/etcd/default
    const canary = `/tmp/lifeboat-systemd-canary-${randomUUID()}`;
    writeFileSync(canary, 'keep me\n');
    const machineId = existsSync('/etc/machine-id') ? readFileSync('/etc/machine-id', 'utf8') : undefined;
    const varEtcdDefault = existsSync('/var/lib/etcd/default');
    const lab = await startLab({ hosts: 3, init: 'systemd', masters: 2 });
    const hostNs = lab.hosts.flatMap((h) => [nsOf(lab.initPid(h.name), 'net'), nsOf(lab.initPid(h.name), 'mnt')]).filter((x): x is string => !!x);
    try {
      for (const h of lab.hosts) {
        const ssh = await run('ssh', ['-F', lab.sshConfig, h.name, 'systemctl is-system-running; cat /proc/1/comm; systemctl is-active ssh etcd'], { timeoutMs: 30_000 });
        expect(ssh.stdout.split('\n').slice(0, 4)).toEqual(['running', 'systemd', 'active', 'active']);
      }
      expect((await lab.sh('node1', 'systemctl is-active kube-apiserver kube-controller-manager kube-scheduler')).stdout).toBe('active\nactive\nactive\n');
      expect((await lab.sh('node3', 'systemctl is-enabled kube-apiserver 2>&1; systemctl is-active kube-apiserver')).stdout).toContain('inactive');
      // Type=notify etcd: its MainPID is the etcd process of this host's own PID namespace
      const pid = await until(lab, 'node2', 'systemctl show -p MainPID --value etcd', (o) => /^[1-9]\d*$/.test(o));
      expect((await lab.sh('node2', `cat /proc/${pid}/comm`)).stdout.trim()).toBe('etcd');
      expect((await lab.sh('node2', 'journalctl -u etcd --no-pager -n 200')).stdout).toContain('etcd');
      // stop → the process is gone; start → back, and the cluster has one leader again
      expect((await lab.sh('node2', 'systemctl stop etcd; systemctl is-active etcd; pgrep -x etcd || echo none')).stdout).toBe('inactive\nnone\n');
      expect((await lab.sh('node2', 'systemctl start etcd && systemctl is-active etcd')).stdout).toBe('active\n');
      const st = JSON.parse((await lab.etcdctl('node1', ['endpoint', 'status', '--cluster', '-w', 'json'])).stdout) as { Status: { leader: number } }[];
      expect(st).toHaveLength(3);
      expect(new Set(st.map((s) => s.Status.leader)).size).toBe(1);
      // a stand-in with Restart=always comes back after `systemctl kill`
      const before = await until(lab, 'node1', 'systemctl show -p MainPID --value kube-apiserver', (o) => /^[1-9]\d*$/.test(o));
      await lab.sh('node1', 'systemctl kill -s KILL kube-apiserver');
      const after = await until(lab, 'node1', 'systemctl show -p MainPID --value kube-apiserver', (o) => /^[1-9]\d*$/.test(o) && o !== before);
      expect(after).not.toBe(before);
      expect(labCgroups(lab.id)).toHaveLength(6); // 3 hosts × (name=systemd, unified)
    } finally {
      await lab.stop();
    }
    expect(await footprint(lab.id, hostNs)).toEqual({ links: [], procs: [], namespaces: [], mounts: 0, dirExists: false });
    expect(labCgroups(lab.id)).toEqual([]);
    expect(readFileSync(canary, 'utf8')).toBe('keep me\n');
    expect(statSync('/tmp').isDirectory()).toBe(true);
    if (machineId !== undefined) expect(readFileSync('/etc/machine-id', 'utf8')).toBe(machineId);
    expect(existsSync('/var/lib/etcd/default')).toBe(varEtcdDefault);
    rmSync(canary, { force: true });
  }, 120_000);
});
