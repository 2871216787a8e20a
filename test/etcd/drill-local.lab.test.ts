/**
 * A restore drill on the controller itself (`drill_host=localhost`: the throwaway member runs on the machine
 * running Lifeboat, with its etcd and etcdctl, found by the drill — localhost is no host of the etcd play) from
 * the S3 store: it passes for a good snapshot and fails loudly, naming the store and the sha256, for a copy
 * damaged there.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { S3Store } from '../../src/modules/etcd/s3-store.js';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { runPlaybook } from './playbook-run.js';
import { startS3 } from './s3-server.js';

const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping the drill-on-the-controller lab test: ${SKIP}`);
const DRILL = 'Restore the snapshot into a throwaway member and compare it with its manifest';

describe.skipIf(SKIP !== undefined)('a restore drill on the controller (drill_host=localhost)', () => {
  it('passes for a good snapshot from the store and fails loudly for a damaged one', async () => {
    const s3 = await startS3('lifeboat-backups');
    const lab = await startLab({ hosts: 1, etcd: 1, masters: 0, seedKeys: 30 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-drill-local-'));
    const url = 's3://lifeboat-backups/etcd/drill';
    const vars = { ...s3.vars, etcd_backup_dir: dir, etcd_backup_store: url };
    const store = new S3Store(url, s3.options);
    try {
      const b = await runPlaybook('etcd-backup.yml', [lab.inventoryYaml], lab.sshConfig, vars);
      expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
      await rm(dir, { recursive: true, force: true });

      const d = await runPlaybook('etcd-drill.yml', [lab.inventoryYaml], lab.sshConfig, { ...vars, drill_host: 'localhost', drill_prefixes: '/registry/' });
      expect(d.ev.failures().map((f) => f.msg)).toEqual([]);
      const msg = d.ev.results('Report the drill')[0]?.msg ?? '';
      expect(msg).toMatch(/restore drill of .*etcd-etcd-node1-\d{8}T\d{6}Z\.db passed on localhost: revision \d+, \d+ keys, hashkv \d+; \/registry\/ \d+ — as the manifest records/);
      // one drill, on the task of the etcd play's first host (delegated to localhost: the message names where it ran)
      expect(d.ev.results(DRILL).map((r) => r.host)).toEqual(['node1']);

      const [entry] = await store.list();
      const f = path.join(s3.dir, 'lifeboat-backups', 'etcd', 'drill', `${path.basename(entry?.file ?? '')}._S3rver_object`);
      const buf = await readFile(f);
      buf[4096] = (buf[4096] ?? 0) ^ 0xff;
      await writeFile(f, buf);
      await rm(dir, { recursive: true, force: true });
      const bad = await runPlaybook('etcd-drill.yml', [lab.inventoryYaml], lab.sshConfig, { ...vars, drill_host: 'localhost' });
      expect(bad.summary.exitCode).not.toBe(0);
      expect(bad.ev.failures()[0]?.msg).toMatch(new RegExp(`${url}: the fetched etcd-etcd-node1-\\d{8}T\\d{6}Z\\.db has sha256 [0-9a-f]{64}, its manifest says [0-9a-f]{64}`));
    } finally {
      store.destroy();
      await rm(dir, { recursive: true, force: true });
      await lab.stop();
      await s3.stop();
    }
  }, 180_000);
});
