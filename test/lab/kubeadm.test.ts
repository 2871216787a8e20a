import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { waitEtcdCluster } from './boot.js';
import { cachedEtcd } from './etcd-dist.js';
import { labSkipReason } from './fixture.js';
import { startLab } from './index.js';
import { run } from './proc.js';

const why = labSkipReason() ?? (cachedEtcd('3.5') ? undefined : 'etcd 3.5 not in the cache: npm run lab -- fetch-etcd 3.5');
if (why) console.warn(`[lab] skipping kubeadm lab tests: ${why}`);

/** Run `cmd` on a host until it prints something matching, or fail with what it last printed. */
async function until(lab: Awaited<ReturnType<typeof startLab>>, host: string, cmd: string, ok: (s: string) => boolean): Promise<string> {
  let last = '';
  for (let i = 0; i < 100; i++) {
    last = (await lab.sh(host, cmd)).stdout.trim();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${host}: \`${cmd}\` never matched; last: ${last}`);
}

describe.skipIf(why !== undefined)('the kubeadm topology (static pods, no etcd tools on the host)', () => {
  it('runs etcd 3.5 from its manifest, stops and restarts it as a kubelet does, and has no etcdctl/etcdutl', async () => {
    const lab = await startLab({ hosts: 3, topology: 'kubeadm', etcdVersion: '3.5', seedKeys: 20 });
    try {
      const ssh = await run('ssh', ['-F', lab.sshConfig, 'node1', 'systemctl is-system-running; command -v etcd etcdctl etcdutl; echo rc=$?'], { timeoutMs: 30_000 });
      expect(ssh.stdout).toBe('running\nrc=1\n');
      const manifest = parse((await lab.sh('node1', 'cat /etc/kubernetes/manifests/etcd.yaml')).stdout);
      const cmd: string[] = manifest.spec.containers[0].command;
      expect(cmd[0]).toBe('etcd');
      expect(cmd).toContain('--name=node1'); // kubeadm names a member after its node
      expect(cmd).toContain('--data-dir=/var/lib/etcd');
      expect(cmd.some((a) => a.startsWith('--initial-cluster-token'))).toBe(false);
      expect(manifest.spec.volumes).toContainEqual({ hostPath: { path: '/var/lib/etcd', type: 'DirectoryOrCreate' }, name: 'etcd-data' });
      const pid = await until(lab, 'node1', 'pgrep -x etcd', (s) => /^\d+$/.test(s));
      expect((await lab.sh('node1', `/proc/${pid}/exe --version | head -1; stat -c %U /proc/${pid}`)).stdout).toMatch(/^etcd Version: 3\.5\.\d+\nroot\n$/);
      expect((await lab.sh('node1', 'pgrep -x kube-apiserver || pgrep -f images/kube-apiserver')).rc).toBe(0);
      // the manifest goes → the process goes; it comes back → so does etcd (a new process)
      await lab.sh('node1', 'mkdir -p /root/kept && mv /etc/kubernetes/manifests/etcd.yaml /root/kept/');
      await until(lab, 'node1', 'pgrep -x etcd || echo gone', (s) => s === 'gone');
      await lab.sh('node1', 'mv /root/kept/etcd.yaml /etc/kubernetes/manifests/');
      const back = await until(lab, 'node1', 'pgrep -x etcd', (s) => /^\d+$/.test(s));
      expect(back).not.toBe(pid);
      // a pod that dies is restarted
      await lab.sh('node1', `kill -KILL ${back}`);
      const again = await until(lab, 'node1', 'pgrep -x etcd', (s) => /^\d+$/.test(s) && s !== back);
      expect(again).not.toBe(back);
      // and the cluster is whole again, with the seeded keys
      await waitEtcdCluster(lab.etcdTarget()); // from the controller: every member answers, one leader (throws if not)
      const keys = await lab.readKeys();
      for (const [k, v] of lab.expectedSeed()) expect(keys.get(k)).toBe(v);
      expect([...keys.keys()].some((k) => k.startsWith('/registry/masterleases/'))).toBe(true); // the apiserver pods write
    } finally {
      await lab.stop();
    }
  }, 120_000);
});
