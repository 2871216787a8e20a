import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLab } from '../lab/index.js';
import { labSkipReason } from '../lab/fixture.js';

/** Where the lab cannot run (not root, packages missing), these tests are skipped and say why. */
const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping etcd lab tests: ${SKIP}`);
import { CONTROL_PLANE, dataKeys, isRunning } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

/** etcd-restore.yml on a 1-member and a 5-member TLS lab, through the engine and SSH. */
describe.skipIf(SKIP !== undefined)('etcd-restore.yml on other cluster sizes', () => {
  it('1 member: backup, lose keys, restore the given snapshot', async () => {
    const lab = await startLab({ hosts: 1, seedKeys: 300 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-1node-'));
    try {
      const b = await runPlaybook('etcd-backup.yml', [lab.inventoryIni], lab.sshConfig, { etcd_backup_dir: dir });
      expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
      const snapshot = b.ev.results('etcd_backup : Snapshot the chosen member and fetch it to the controller')[0];
      expect(snapshot?.status).toBe('changed');
      const file = (await import('node:fs')).readdirSync(dir).find((f) => f.endsWith('.db')) as string;
      await lab.disaster({ fraction: 1 });
      expect((await dataKeys(lab)).size).toBe(0);
      const r = await runPlaybook('etcd-restore.yml', [lab.inventoryIni], lab.sshConfig, { etcd_backup_dir: dir, snapshot: path.join(dir, file) });
      expect(r.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
      expect(r.summary.exitCode).toBe(0);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      expect(r.ev.results('Summary')[0]?.msg).toContain('leader etcd-node1');
      for (const s of CONTROL_PLANE) expect(await isRunning(lab, 'node1', s)).toBe(true);
    } finally {
      await lab.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('5 members: fresh snapshot taken after the control plane stops, then restored everywhere', async () => {
    const lab = await startLab({ hosts: 5, seedKeys: 400 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-5node-'));
    try {
      // Keys written before the fresh snapshot are in it; nothing is lost.
      const r = await runPlaybook('etcd-restore.yml', [lab.inventoryIni], lab.sshConfig, { etcd_backup_dir: dir, fresh_snapshot: true });
      expect(r.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
      expect(r.summary.exitCode).toBe(0);
      const snap = r.ev.results('etcd_backup : Snapshot the chosen member and fetch it to the controller');
      expect(snap.some((s) => s.status === 'changed')).toBe(true);
      const stop = r.ev.events.findIndex((e) => e.type === 'task_start' && e.task.includes('Stop the control plane'));
      const take = r.ev.events.findIndex((e) => e.type === 'task_start' && e.task.includes('Snapshot the chosen member'));
      expect(stop).toBeGreaterThan(-1);
      expect(take).toBeGreaterThan(stop);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      const verify = r.ev.results('etcd_verify : Verify etcd member by member (health, one leader, one cluster ID, planned members, revision, alarms)')[0];
      expect(verify?.msg).toContain('5 members etcd-node1, etcd-node2, etcd-node3, etcd-node4, etcd-node5; one leader');
      const members = JSON.parse((await lab.etcdctl('node4', ['member', 'list', '-w', 'json'])).stdout).members;
      expect(members).toHaveLength(5);
      for (const h of ['node1', 'node2', 'node3', 'node4', 'node5']) expect((await lab.sh(h, 'ls -d /var/lib/etcd/.lifeboat-*/member')).rc).toBe(0);
      for (const h of ['node1', 'node2', 'node3']) expect(await isRunning(lab, h, 'kube-apiserver')).toBe(true);
    } finally {
      await lab.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
