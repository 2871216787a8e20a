import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedEtcd } from '../lab/etcd-dist.js';
import { type Lab, startLab } from '../lab/index.js';
import { labSkipReason } from '../lab/fixture.js';

/** Where the lab cannot run (not root, packages missing), these tests are skipped and say why. */
const SKIP = labSkipReason() ?? (cachedEtcd('3.5') ? undefined : 'etcd 3.5 not in the cache: npm run lab -- fetch-etcd 3.5');
if (SKIP) console.warn(`[lab] skipping etcd lab tests: ${SKIP}`);
import { runPlaybook } from './playbook-run.js';

/**
 * The kube_control_plane role in static-pod mode on the kubeadm topology (a kubelet stand-in runs the manifests):
 * manifests moved out and back, never deleted; the stop waits until the kubelet has stopped the pods.
 */
let lab: Lab;
let dir: string;
beforeAll(async () => {
  if (SKIP) return;
  lab = await startLab({ hosts: 2, masters: 2, topology: 'kubeadm', etcdVersion: '3.5' });
  dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-cp-'));
});
afterAll(async () => {
  await lab?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const play = (action: 'stop' | 'start') => `
- hosts: kube_master
  gather_facts: false
  vars:
    kube_control_plane_mode: static-pod
  tasks:
    - import_role:
        name: kube_control_plane
        tasks_from: ${action}
`;

describe.skipIf(SKIP !== undefined)('kube_control_plane (static-pod mode) over SSH', () => {
  it('moves the manifests out on stop (the pods stop) and back on start (they run again), keeping their content', async () => {
    const apiserver = 'pgrep -x kube-apiserver >/dev/null && echo running || echo gone';
    for (const h of ['node1', 'node2']) {
      // kubeadm's apiserver manifest is the lab's; the other two are stand-in files (no process behind them)
      const r = await lab.sh(h, 'for c in kube-controller-manager kube-scheduler; do echo "kind: Pod # $c" > /etc/kubernetes/manifests/$c.yaml; done');
      expect(r.rc).toBe(0);
      expect((await lab.sh(h, apiserver)).stdout).toBe('running\n');
    }
    const manifest = (await lab.sh('node1', 'cat /etc/kubernetes/manifests/kube-apiserver.yaml')).stdout;
    expect(manifest).toContain('kube-apiserver');
    await writeFile(path.join(dir, 'stop.yml'), play('stop'));
    await writeFile(path.join(dir, 'start.yml'), play('start'));
    const stop = await runPlaybook(path.join(dir, 'stop.yml'), [lab.inventoryIni], lab.sshConfig);
    expect(stop.ev.failures().map((f) => f.msg)).toEqual([]);
    for (const h of ['node1', 'node2']) {
      expect((await lab.sh(h, 'ls /etc/kubernetes/manifests')).stdout).toBe('etcd.yaml\n');
      expect((await lab.sh(h, 'ls /etc/kubernetes/manifests.lifeboat-stopped')).stdout).toBe('kube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n');
      expect((await lab.sh(h, apiserver)).stdout).toBe('gone\n'); // the stop waited for the kubelet
    }
    const again = await runPlaybook(path.join(dir, 'stop.yml'), [lab.inventoryIni], lab.sshConfig);
    expect(again.ev.results('kube_control_plane : Move the static-pod manifests out of the kubelet\'s directory (kept, never deleted)').map((r) => r.status)).toEqual(['ok', 'ok']);
    const start = await runPlaybook(path.join(dir, 'start.yml'), [lab.inventoryIni], lab.sshConfig);
    expect(start.ev.failures().map((f) => f.msg)).toEqual([]);
    for (const h of ['node1', 'node2']) {
      expect((await lab.sh(h, 'ls /etc/kubernetes/manifests')).stdout).toBe('etcd.yaml\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n');
      expect((await lab.sh(h, 'cat /etc/kubernetes/manifests/kube-scheduler.yaml')).stdout).toBe('kind: Pod # kube-scheduler\n');
    }
    expect((await lab.sh('node1', 'cat /etc/kubernetes/manifests/kube-apiserver.yaml')).stdout).toBe(manifest);
    for (let i = 0; i < 100 && (await lab.sh('node2', apiserver)).stdout !== 'running\n'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await lab.sh('node2', apiserver)).stdout).toBe('running\n'); // the kubelet started it again
  }, 120_000);
});
