/**
 * Backups at rest compressed and encrypted (AES-256-GCM, the key from an environment variable): no plain copy and
 * no key on the controller's disk; a drill and a restore decode them on the way to the nodes; a wrong key is
 * refused in preflight with nothing changed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SnapshotManifest } from '../../src/modules/etcd/types.js';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { dataKeys } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping the encrypted backup lab test: ${SKIP}`);
const PREFLIGHT = 'etcd_restore : Preflight — reachable hosts, inventory vs running config, snapshot, tools, disk (changes nothing)';

describe.skipIf(SKIP !== undefined)('encrypted, compressed backups', () => {
  it('are stored without a plain copy, drilled, restored with the key and refused with another', async () => {
    const lab = await startLab({ hosts: 3, seedKeys: 60 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-enc-'));
    const key = randomBytes(32);
    process.env.LIFEBOAT_LAB_BACKUP_KEY = key.toString('base64');
    process.env.LIFEBOAT_LAB_OTHER_KEY = randomBytes(32).toString('hex');
    const vars = { etcd_backup_dir: dir, etcd_backup_compress: true, etcd_backup_key_env: 'LIFEBOAT_LAB_BACKUP_KEY' };
    try {
      const b = await runPlaybook('etcd-backup.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
      const files = (await readdir(dir)).sort();
      expect(files).toHaveLength(2);
      expect(files[0]).toMatch(/\.db\.gz\.enc$/);
      const stored = await readFile(path.join(dir, files[0] ?? ''));
      expect(stored.subarray(0, 7).toString()).toBe('LBENC1\n');
      expect(stored.includes(Buffer.from('/registry/'))).toBe(false); // nothing readable of the data
      const manifest = JSON.parse(await readFile(path.join(dir, files[1] ?? ''), 'utf8')) as SnapshotManifest;
      expect(manifest.stored).toMatchObject({ file: files[0], compression: 'gzip', encryption: { cipher: 'aes-256-gcm', key_fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) } });
      expect(JSON.stringify(manifest)).not.toContain(key.toString('base64'));

      const d = await runPlaybook('etcd-drill.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(d.ev.failures().map((f) => f.msg)).toEqual([]);

      await lab.disaster({ fraction: 0.5 });
      const wrong = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, { ...vars, etcd_backup_key_env: 'LIFEBOAT_LAB_OTHER_KEY' });
      expect(wrong.summary.exitCode).not.toBe(0);
      expect(wrong.ev.results(PREFLIGHT)[0]?.msg).toContain(`was encrypted with the key of fingerprint ${manifest.stored?.encryption?.key_fingerprint}, not with the one given`);
      expect(wrong.ev.events.filter((e) => e.type === 'host_result' && e.status === 'changed')).toEqual([]);

      const r = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(r.ev.failures().map((f) => f.msg)).toEqual([]);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
    } finally {
      delete process.env.LIFEBOAT_LAB_BACKUP_KEY;
      delete process.env.LIFEBOAT_LAB_OTHER_KEY;
      await rm(dir, { recursive: true, force: true });
      await lab.stop();
    }
  }, 180_000);
});
