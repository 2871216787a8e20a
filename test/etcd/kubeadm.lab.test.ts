/**
 * kubeadm's stacked etcd: etcd and kube-apiserver are static pods, the node has no etcdctl or etcdutl. Without
 * etcd_tools_dir the restore is refused in preflight (nothing touched); with it, backup and restore run end to end:
 * the tools are put on every member for the run and removed after, etcd and the apiserver are stopped by moving
 * their manifests out (kept) and started by moving them back, and the restored cluster is verified.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedEtcd } from '../lab/etcd-dist.js';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import type { SnapshotManifest } from '../../src/modules/etcd/types.js';
import { dataKeys } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

const tools = cachedEtcd('3.5');
const SKIP = labSkipReason() ?? (tools ? undefined : 'etcd 3.5 not in the cache: npm run lab -- fetch-etcd 3.5');
if (SKIP) console.warn(`[lab] skipping the kubeadm restore lab test: ${SKIP}`);

const PREFLIGHT = 'etcd_restore : Preflight — reachable hosts, inventory vs running config, snapshot, tools, disk (changes nothing)';
const VERIFY = 'etcd_verify : Verify etcd member by member (health, one leader, one cluster ID, planned members, revision, alarms)';
const HOSTS = ['node1', 'node2', 'node3'];

/** What a kubeadm node has in its manifest dirs, the stash, the tools dir, and which pods run (by process name). */
const STATE =
  'ls /etc/kubernetes/manifests | tr "\\n" " "; echo; ls /etc/kubernetes/manifests.lifeboat-stopped 2>/dev/null | grep yaml | tr "\\n" " "; echo; ' +
  'ls /var/lib/lifeboat/tools 2>/dev/null | tr "\\n" " "; echo; for c in etcd kube-apiserver; do pgrep -x $c >/dev/null && printf "%s " $c; done; echo';

describe.skipIf(SKIP !== undefined)('restore of kubeadm stacked etcd (static pods, no etcd tools on the nodes)', () => {
  it('is refused without etcd_tools_dir; with it, backs up and restores, manifests and tools as before', async () => {
    const lab = await startLab({ hosts: 3, topology: 'kubeadm', etcdVersion: '3.5', seedKeys: 60 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-kubeadm-'));
    const before = 'etcd.yaml kube-apiserver.yaml \n\n\netcd kube-apiserver \n';
    try {
      for (const h of HOSTS) expect((await lab.sh(h, STATE)).stdout).toBe(before);
      // no etcdctl on the nodes, no etcd_tools_dir: status and snapshot go through an SSH tunnel (etcd3 client)
      const b = await runPlaybook('etcd-backup.yml', [lab.inventoryYaml], lab.sshConfig, { etcd_backup_dir: dir });
      expect(b.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
      const saved = b.ev.results('Report the snapshot')[0]?.msg ?? '';
      expect(saved).toMatch(/^snapshot etcd-node\d-\d{8}T\d{6}Z\.db: revision \d+, \d+ keys/);
      for (const h of HOSTS) expect((await lab.sh(h, STATE)).stdout).toBe(before); // nothing left on the nodes
      // the cluster's shape travels with the backup
      const manifests = (await readdir(dir)).filter((f) => f.endsWith('.json'));
      expect(manifests).toHaveLength(1);
      const shape = (JSON.parse(await readFile(path.join(dir, manifests[0] ?? ''), 'utf8')) as SnapshotManifest).shape;
      expect(shape).toMatchObject({ token: 'etcd-cluster', kubernetes_version: 'v1.30.0', cluster_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(shape?.members.map((m) => [m.host, m.name, m.runtime, m.user, m.etcd_version, m.data_dir])).toEqual(
        HOSTS.map((h) => [h, h, 'static-pod', 'root', expect.stringMatching(/^3\.5\./), '/var/lib/etcd']),
      );
      expect(new Set(shape?.members.map((m) => m.member_id)).size).toBe(3);
      await lab.etcdctl('node1', ['put', '/after-backup', 'lost by the restore']);

      // the restore without tools: refused in preflight, nothing changed, etcd still runs
      const nr = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, { etcd_backup_dir: dir });
      expect(nr.summary.exitCode).not.toBe(0);
      const refused = nr.ev.results(PREFLIGHT)[0]?.msg ?? '';
      expect(refused).toContain('preflight FAILED, nothing was changed');
      expect(refused).toContain('node2: no tool to restore snapshots (etcdutl, or etcdctl < 3.6)');
      expect(refused).toContain('-e etcd_tools_dir=DIR');
      expect(nr.ev.events.filter((e) => e.type === 'host_result' && e.status === 'changed')).toEqual([]);
      for (const h of HOSTS) expect((await lab.sh(h, STATE)).stdout).toBe(before);

      const r = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, { etcd_backup_dir: dir, etcd_tools_dir: tools?.binDir });
      expect(r.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
      expect(r.summary.exitCode).toBe(0);
      // the live revision is read through the tunnel: the write after the backup is counted
      expect(r.ev.results(PREFLIGHT)[0]?.msg).toMatch(/the live cluster is at revision \d+: this restore rewinds [1-9]\d* revisions/);
      expect(r.ev.results(PREFLIGHT)[0]?.msg).toContain('where each value comes from:\n    node1: name node1 (inventory etcd_name), peer https://');
      expect(r.ev.results(VERIFY)[0]?.msg).toContain('3 members node1, node2, node3; one leader');
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      for (const h of HOSTS) {
        expect((await lab.sh(h, STATE)).stdout).toBe(before);
        // the old data is kept beside the restored one
        expect((await lab.sh(h, 'ls -a /var/lib/etcd | grep -c "^.lifeboat-"')).stdout).toBe('1\n');
        expect((await lab.sh(h, 'cat /var/log/kube-apiserver.backwards 2>/dev/null')).stdout).toBe('');
      }
      // and verified again from the controller alone: no tool left on the nodes, etcd_verify through the tunnel
      await writeFile(path.join(dir, 'verify.yml'), '- hosts: etcd\n  gather_facts: false\n  tasks:\n    - etcd_facts: {}\n    - import_role:\n        name: etcd_verify\n');
      const v = await runPlaybook(path.join(dir, 'verify.yml'), [lab.inventoryYaml], lab.sshConfig);
      expect(v.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
      expect(v.ev.results(VERIFY)[0]?.msg).toContain('3 members node1, node2, node3; one leader');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await lab.stop();
    }
  }, 240_000);
});
