import { describe, expect, it } from 'vitest';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { backupDisasterRestore } from './full-restore.js';

const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping the binary-topology lab test: ${SKIP}`);

const mainPid = async (lab: Awaited<ReturnType<typeof startLab>>, host: string, unit: string): Promise<string> => {
  for (let i = 0; i < 150; i++) {
    const out = (await lab.sh(host, `systemctl show -p MainPID --value ${unit}`)).stdout.trim();
    if (/^[1-9]\d*$/.test(out)) return out;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${host}: ${unit} has no main pid`);
};

describe.skipIf(SKIP !== undefined)('the binary (kubeasz-style) topology', () => {
  it('systemd units with every flag in ExecStart, /opt/kube/bin, Restart=always; backup → restore → verify', async () => {
    const lab = await startLab({ hosts: 3, seedKeys: 150, topology: 'binary' });
    try {
      const unit = (await lab.sh('node2', 'systemctl cat etcd')).stdout;
      for (const f of ['/opt/kube/bin/etcd', '--name=etcd-node2', '--initial-cluster-token=etcd-cluster-0', '--data-dir=/var/lib/etcd', '--wal-dir=/var/lib/etcd/wal', 'Restart=always', 'Type=notify']) {
        expect(unit).toContain(f);
      }
      expect((await lab.sh('node2', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; command -v etcd etcdctl etcdutl; ls /opt/kube/bin')).stdout).toBe(
        'etcd\netcdctl\nkube-apiserver\nkube-controller-manager\nkube-proxy\nkube-scheduler\nkubelet\n',
      );
      // systemctl stop stops it; a killed etcd comes back (Restart=always)
      expect((await lab.sh('node2', 'systemctl stop etcd; systemctl is-active etcd; pgrep -x etcd || echo none')).stdout).toBe('inactive\nnone\n');
      await lab.sh('node2', 'systemctl start etcd');
      const before = await mainPid(lab, 'node2', 'etcd');
      await lab.sh('node2', 'systemctl kill -s KILL etcd');
      let after = before;
      for (let i = 0; i < 100 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 200));
        after = (await lab.sh('node2', 'systemctl show -p MainPID --value etcd')).stdout.trim();
        if (after === '0') after = before;
      }
      expect(after).not.toBe(before);
      // Type=notify: "activating" until the restarted member has rejoined
      expect((await lab.sh('node2', 'for i in $(seq 150); do systemctl is-active -q etcd && break; sleep 0.1; done; systemctl is-active etcd')).stdout).toBe('active\n');

      await backupDisasterRestore(lab, ['etcd-node1', 'etcd-node2', 'etcd-node3']);
      for (const h of ['node1', 'node2', 'node3']) {
        expect((await lab.sh(h, 'systemctl is-active etcd kube-apiserver; ls /var/lib/etcd/wal | grep -c "\\.wal$"')).stdout).toMatch(/^active\nactive\n[1-9]\d*\n$/);
      }
    } finally {
      await lab.stop();
    }
  }, 180_000);
});
