/**
 * Lifeboat's own kubeasz-shaped backup and restore playbooks (test/fixtures/kubeasz-shaped/, written for
 * Lifeboat with the constructs of kubeasz's 94.backup.yml / 95.restore.yml: `hosts: localhost` reading
 * [all:vars], a single-quoted shell loop continued with `\`, a double-quoted shell continued with tab-led
 * lines, role defaults in a defaults/main/ directory built from groups, host variables that refer to
 * groups) run through the CLI against a binary-topology lab; the cluster must come back whole.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT, lifeboat, ROOT } from '../cli/helpers.js';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { dataKeys } from './lab-keys.js';

const SKIP = labSkipReason() ?? (BUILT ? undefined : 'dist/ is not built (npm run build)');
if (SKIP) console.warn(`[lab] skipping the kubeasz-shaped lab test: ${SKIP}`);
const FIX = join(ROOT, 'test/fixtures/kubeasz-shaped');

describe.skipIf(SKIP !== undefined)('kubeasz-shaped playbooks on a binary-topology lab', () => {
  it('backup from localhost, restore on every member, the cluster whole again', async () => {
    const lab = await startLab({ hosts: 3, seedKeys: 100, topology: 'binary', etcdVersion: '3.5' });
    // the controller side, laid out as kubeasz lays out /etc/kubeasz (base_dir) and clusters/NAME
    const base = mkdtempSync(join(tmpdir(), 'lb-kubeasz-'));
    try {
      const cluster = join(base, 'clusters/lab');
      mkdirSync(join(cluster, 'ssl'), { recursive: true });
      mkdirSync(join(base, 'bin'));
      copyFileSync(join(lab.dir, 'layers/opt/kube/bin/etcdctl'), join(base, 'bin/etcdctl'));
      copyFileSync(join(lab.dir, 'pki/ca.crt'), join(cluster, 'ssl/ca.pem'));
      copyFileSync(join(lab.dir, 'pki/lifeboat-client.crt'), join(cluster, 'ssl/etcd.pem'));
      copyFileSync(join(lab.dir, 'pki/lifeboat-client.key'), join(cluster, 'ssl/etcd-key.pem'));
      const etcd = lab.hosts.filter((h) => h.etcd);
      const hosts = [
        '[etcd]',
        ...etcd.map((h) => `${h.address} member_name=etcd-${h.name}`),
        '[kube_master]',
        ...lab.hosts.filter((h) => h.master).map((h) => h.address),
        '[kube_node]',
        '[all:vars]',
        `base_dir="${base}"`,
        'cluster_dir="{{ base_dir }}/clusters/lab"',
        'bin_dir="/opt/kube/bin"',
        'ETCD_DATA_DIR="/var/lib/etcd"',
        'ETCD_WAL_DIR="/var/lib/etcd/wal"',
        // rendered only where used (it was rendered for every connection, and broke them all)
        `FIRST_MASTER="{{ groups['kube_master'][0] }}"`,
        'ansible_user=root',
        `ansible_ssh_private_key_file=${lab.clientKey}`,
        `ansible_ssh_common_args="-o UserKnownHostsFile=${lab.knownHosts} -o StrictHostKeyChecking=yes"`,
        '',
      ].join('\n');
      writeFileSync(join(cluster, 'hosts'), hosts);
      const run = (pb: string) => lifeboat(['run', '-i', join(cluster, 'hosts'), join(FIX, pb), '--output', 'plain']);

      const b = run('backup.yml');
      expect(b.stderr).toBe('');
      expect(b.stdout).toMatch(/"HEALTH\.stdout_lines": \[\n(\s+"https:\/\/[\d.]+:2379 is healthy[^\n]*\n){3}/);
      expect(b.code).toBe(0);

      // written after the snapshot: the restore takes it away; the seed stays
      await lab.etcdctl('node1', ['put', '/registry/after-backup', 'x']);
      const r = run('restore.yml');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/TASK \[etcd-restore : restore the snapshot\][^\n]*\n(\s+changed\s+[\d.]+[^\n]*\n){3}/);

      const keys = await dataKeys(lab);
      expect(keys.has('/registry/after-backup')).toBe(false);
      expect(keys).toEqual(lab.expectedSeed());
      // every member: one cluster, one leader, three members
      const seen = { cluster: new Set<string>(), leader: new Set<string>(), members: new Set<string>() };
      for (const h of etcd) {
        const st = await lab.sh(
          h.name,
          '/opt/kube/bin/etcdctl --endpoints=http://127.0.0.1:2379 endpoint status -w json',
        );
        seen.cluster.add(/"cluster_id":(\d+)/.exec(st.stdout)?.[1] ?? 'none');
        seen.leader.add(/"leader":(\d+)/.exec(st.stdout)?.[1] ?? 'none');
        const ml = await lab.sh(h.name, '/opt/kube/bin/etcdctl --endpoints=http://127.0.0.1:2379 member list');
        seen.members.add(ml.stdout.trim().split('\n').length.toString());
      }
      expect([...seen.members]).toEqual(['3']);
      expect(seen.cluster.size).toBe(1);
      expect(seen.leader.size).toBe(1);
      expect(seen.cluster.has('none') || seen.leader.has('none')).toBe(false);
      for (const h of lab.hosts)
        expect((await lab.sh(h.name, 'systemctl is-active etcd kube-apiserver')).stdout).toBe('active\nactive\n');
    } finally {
      await lab.stop();
      rmSync(base, { recursive: true, force: true });
    }
  }, 240_000);
});
