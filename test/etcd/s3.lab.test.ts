/**
 * A backup store in S3 (etcd_backup_store: s3://…, s3rver on the controller's loopback — the controller is the
 * only one that talks to the store): compressed and encrypted backups uploaded with their manifests; after a
 * disaster, with an empty local backup directory, a wrong key and a copy damaged in the store are refused before
 * anything stops; with the damaged copy's manifest gone the restore takes the previous snapshot and the data is back.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { S3Store } from '../../src/modules/etcd/s3-store.js';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { dataKeys } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';
import { startS3 } from './s3-server.js';

const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping the s3 store lab test: ${SKIP}`);
const PREFLIGHT = 'etcd_restore : Preflight — reachable hosts, inventory vs running config, snapshot, tools, disk (changes nothing)';
const BUCKET = 'lifeboat-backups';

describe.skipIf(SKIP !== undefined)('a backup store in S3 (s3://, s3rver)', () => {
  it('holds compressed, encrypted backups, refuses a wrong key and a damaged copy, and restores from the previous one', async () => {
    const s3 = await startS3(BUCKET);
    const lab = await startLab({ hosts: 3, seedKeys: 40 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-s3lab-'));
    process.env.LIFEBOAT_LAB_BACKUP_KEY = randomBytes(32).toString('base64');
    process.env.LIFEBOAT_LAB_OTHER_KEY = randomBytes(32).toString('hex');
    const url = `s3://${BUCKET}/etcd/prod`;
    const vars = { ...s3.vars, etcd_backup_dir: dir, etcd_backup_store: url, etcd_backup_retain: 2, etcd_backup_compress: true, etcd_backup_key_env: 'LIFEBOAT_LAB_BACKUP_KEY' };
    const store = new S3Store(url, s3.options);
    try {
      for (let i = 0; i < 2; i++) {
        const b = await runPlaybook('etcd-backup.yml', [lab.inventoryYaml], lab.sshConfig, vars);
        expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
        await new Promise((r) => setTimeout(r, 1100)); // snapshot names carry the second
      }
      const listed = await store.list();
      expect(listed.map((e) => path.basename(e.file))).toEqual([expect.stringMatching(/^etcd-etcd-node\d-\d{8}T\d{6}Z\.db\.gz\.enc$/), expect.stringMatching(/\.db\.gz\.enc$/)]);
      const [older, newer] = listed;
      if (!older || !newer) throw new Error('two snapshots expected');
      const objects = (await readdir(path.join(s3.dir, BUCKET, 'etcd', 'prod'))).filter((f) => f.endsWith('._S3rver_object'));
      expect(objects).toHaveLength(4); // two snapshots, two manifests: no leftover parts
      const stored = await readFile(path.join(s3.dir, BUCKET, 'etcd', 'prod', `${path.basename(newer.file)}._S3rver_object`));
      expect(stored.subarray(0, 7).toString()).toBe('LBENC1\n');

      // the controller loses its copies, the cluster half its data
      await rm(dir, { recursive: true, force: true });
      await lab.disaster({ fraction: 0.5 });
      const changed = (r: Awaited<ReturnType<typeof runPlaybook>>) => r.ev.events.filter((e) => e.type === 'host_result' && e.status === 'changed');

      // a wrong key: refused in preflight, nothing changed
      const wrong = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, { ...vars, etcd_backup_key_env: 'LIFEBOAT_LAB_OTHER_KEY' });
      expect(wrong.summary.exitCode).not.toBe(0);
      expect(wrong.ev.results(PREFLIGHT)[0]?.msg).toContain(`was encrypted with the key of fingerprint ${newer.m.stored?.encryption?.key_fingerprint}, not with the one given`);
      expect(changed(wrong)).toEqual([]);

      // the newest copy damaged in the store: refused before anything stops, naming the store and the file
      const f = path.join(s3.dir, BUCKET, 'etcd', 'prod', `${path.basename(newer.file)}._S3rver_object`);
      const buf = await readFile(f);
      buf[200] = (buf[200] ?? 0) ^ 0xff;
      await writeFile(f, buf);
      await rm(dir, { recursive: true, force: true });
      const bad = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(bad.summary.exitCode).not.toBe(0);
      expect(bad.ev.results(PREFLIGHT)[0]?.msg).toMatch(new RegExp(`${url}: .*the fetched ${path.basename(newer.file).replace(/\./g, '\\.')} has sha256 [0-9a-f]{64}, its manifest says`));
      expect(changed(bad)).toEqual([]);
      expect(await readdir(dir)).toEqual([]); // the damaged copy is not left in the backup dir

      // its manifest gone: the store lists only the older snapshot, and the restore takes it
      await rm(path.join(s3.dir, BUCKET, 'etcd', 'prod', `${path.basename(newer.file).replace(/\.db\.gz\.enc$/, '.json')}._S3rver_object`));
      await rm(path.join(s3.dir, BUCKET, 'etcd', 'prod', `${path.basename(newer.file).replace(/\.db\.gz\.enc$/, '.json')}._S3rver_metadata.json`), { force: true });
      expect((await store.list()).map((e) => e.file)).toEqual([older.file]);
      const r = await runPlaybook('etcd-restore.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(r.ev.failures().map((x) => x.msg)).toEqual([]);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      expect((await readdir(dir)).sort()).toEqual([path.basename(older.file), path.basename(older.file).replace(/\.db\.gz\.enc$/, '.json')].sort());
    } finally {
      delete process.env.LIFEBOAT_LAB_BACKUP_KEY;
      delete process.env.LIFEBOAT_LAB_OTHER_KEY;
      store.destroy();
      await rm(dir, { recursive: true, force: true });
      await lab.stop();
      await s3.stop();
    }
  }, 240_000);
});
