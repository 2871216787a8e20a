/**
 * A backup store off the cluster (etcd_backup_store: sftp://node4/…, a lab host that is not a member): backups
 * uploaded atomically with their manifests and pruned there by the same policy; a restore with an empty local
 * backup directory takes the newest from the store, verifies it, and restores it; so does a drill.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { SftpStore } from '../../src/modules/etcd/sftp-store.js';
import { verifyInStore } from '../../src/modules/etcd/store.js';
import { LabConnection } from './lab-conn.js';
import { dataKeys } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping the backup store lab test: ${SKIP}`);

describe.skipIf(SKIP !== undefined)('a backup store on another host (sftp://)', () => {
  it('holds the backups atomically, prunes them, and serves the restore and the drill', async () => {
    const lab = await startLab({ hosts: 4, etcd: 3, seedKeys: 40 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-store-'));
    const vars = { etcd_backup_dir: dir, etcd_backup_store: 'sftp://node4/var/backups/etcd', etcd_backup_retain: 1 };
    try {
      expect(lab.hosts.find((h) => h.name === 'node4')?.etcd).toBeFalsy();
      for (let i = 0; i < 2; i++) {
        const b = await runPlaybook('etcd-backup.yml', [lab.inventoryYaml], lab.sshConfig, vars);
        expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
        await new Promise((r) => setTimeout(r, 1100)); // snapshot names carry the second
      }
      const inStore = (await lab.sh('node4', 'ls /var/backups/etcd')).stdout.trim().split('\n');
      expect(inStore).toHaveLength(2); // retain 1: one snapshot and its manifest, no .partial
      expect(inStore[0]).toMatch(/^etcd-etcd-node\d-\d{8}T\d{6}Z\.db$/);
      expect(inStore[1]).toBe(inStore[0]?.replace(/\.db$/, '.json'));

      // what an upload cut halfway leaves (a .partial) and a run that died before publishing its manifest (a
      // snapshot alone): never listed, so never restored from, never pruned
      const store = new SftpStore(new LabConnection(lab, 'node4'), { host: 'node4', dir: '/var/backups/etcd', url: 'sftp://node4/var/backups/etcd' });
      const strays = ['etcd-etcd-node9-20991231T000000Z.db.partial', 'etcd-etcd-node9-20991231T000001Z.db'];
      await lab.sh('node4', `cd /var/backups/etcd && for f in ${strays.join(' ')}; do head -c 5000 /dev/urandom > $f; done`);
      const listed = await store.list();
      expect(listed.map((e) => path.basename(e.file))).toEqual([inStore[0]]);

      // the controller loses its copies; the cluster loses data; the restore takes the store's newest
      await rm(dir, { recursive: true, force: true });
      await lab.disaster({ fraction: 0.5 });
      const r = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(r.ev.failures().map((f) => f.msg)).toEqual([]);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      expect((await readdir(dir)).sort()).toEqual([...inStore].sort()); // fetched, with its manifest

      // a copy corrupted in the store: refused before anything stops, naming it
      await rm(dir, { recursive: true, force: true });
      await lab.sh('node4', `printf X | dd of=/var/backups/etcd/${inStore[0]} bs=1 seek=100 conv=notrunc 2>/dev/null`);
      const bad = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(bad.summary.exitCode).not.toBe(0);
      expect(bad.ev.failures()[0]?.msg).toMatch(new RegExp(`sftp://node4/var/backups/etcd: .*the fetched ${inStore[0]?.replace(/\./g, '\\.')} has sha256 [0-9a-f]{64}, its manifest says`));
      expect(bad.ev.events.filter((e) => e.type === 'host_result' && e.status === 'changed')).toEqual([]);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      // the store's own check (sha256sum on node4) names it too, as `lifeboat snapshots verify` and prune use it
      expect(await verifyInStore(store, listed[0] as never)).toEqual([expect.stringMatching(/^sha256 [0-9a-f]{64} in sftp:\/\/node4\/var\/backups\/etcd differs from the manifest's [0-9a-f]{64}$/)]);

      // a good one again (a new backup), then the drill from the store
      const again = await runPlaybook('etcd-backup.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(again.ev.failures().map((f) => f.msg)).toEqual([]);
      await rm(dir, { recursive: true, force: true });
      const d = await runPlaybook('etcd-drill.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(d.ev.failures().map((f) => f.msg)).toEqual([]);
      expect(d.ev.results('Report the drill')[0]?.msg).toMatch(/etcd-etcd-node\d-\d{8}T\d{6}Z\.db passed on node1/);
      // retention removed the damaged copy and left what has no manifest alone
      const after = (await lab.sh('node4', 'ls /var/backups/etcd')).stdout.trim().split('\n');
      expect(after).toEqual(expect.arrayContaining(strays));
      expect(after).not.toContain(inStore[0]);
      expect(after).toHaveLength(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await lab.stop();
    }
  }, 180_000);
});
