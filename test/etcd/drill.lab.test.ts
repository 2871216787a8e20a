/**
 * Restore drills (playbooks/etcd-drill.yml) on a 3-member TLS lab: a backup restored into a throwaway member on one
 * host matches its manifest (revision, key count, hashkv) and the seeded prefixes read back; the cluster is not
 * touched and nothing of the drill is left; a manifest that disagrees, or a truncated snapshot, fails loudly.
 */
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SnapshotManifest } from '../../src/modules/etcd/types.js';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { runPlaybook } from './playbook-run.js';

const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping the restore drill lab test: ${SKIP}`);
const DRILL = 'Restore the snapshot into a throwaway member and compare it with its manifest';
const CLUSTER = "ls /var/lib/etcd/member; ls /var/lib/lifeboat/drill 2>/dev/null; pgrep -f -- 'name=lifeboat-[d]rill' >/dev/null && echo drill-running; true";

describe.skipIf(SKIP !== undefined)('restore drills', () => {
  it('prove a backup restores without touching the cluster, and fail loudly when it does not', async () => {
    const lab = await startLab({ hosts: 3, seedKeys: 80 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-drill-'));
    try {
      const b = await runPlaybook('etcd-backup.yml', [lab.inventoryYaml], lab.sshConfig, { etcd_backup_dir: dir });
      expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
      const manifestFile = path.join(dir, (await readdir(dir)).find((f) => f.endsWith('.json')) ?? '');
      const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as SnapshotManifest;
      expect(manifest.kv).toEqual({ revision: manifest.revision, kv_keys: expect.any(Number), hashkv: expect.any(Number) });
      expect(manifest.kv?.kv_keys).toBeGreaterThanOrEqual(80);
      const before = await Promise.all(['node1', 'node2'].map(async (h) => (await lab.sh(h, CLUSTER)).stdout));
      expect(before).toEqual(['snap\nwal\n', 'snap\nwal\n']);
      const members = (await lab.etcdctl('node1', ['member', 'list'])).stdout;

      const ok = await runPlaybook('etcd-drill.yml', [lab.inventoryYaml], lab.sshConfig, { etcd_backup_dir: dir, drill_host: 'node2', drill_prefixes: ['/registry/'] });
      expect(ok.ev.failures().map((f) => f.msg)).toEqual([]);
      const msg = ok.ev.results(DRILL)[0]?.msg ?? '';
      expect(msg).toMatch(new RegExp(`passed on node2: revision ${manifest.revision}, ${manifest.kv?.kv_keys} keys, hashkv ${manifest.kv?.hashkv}; /registry/ \\d+ — as the manifest records$`));
      // nothing of the cluster touched, nothing of the drill left
      expect(await Promise.all(['node1', 'node2'].map(async (h) => (await lab.sh(h, CLUSTER)).stdout))).toEqual(before);
      expect((await lab.etcdctl('node1', ['member', 'list'])).stdout).toBe(members);

      // a manifest that disagrees with what the snapshot restores to: the drill fails the run
      await writeFile(manifestFile, JSON.stringify({ ...manifest, kv: { ...manifest.kv, hashkv: (manifest.kv?.hashkv ?? 0) + 1 } }));
      const bad = await runPlaybook('etcd-drill.yml', [lab.inventoryYaml], lab.sshConfig, { etcd_backup_dir: dir });
      expect(bad.summary.exitCode).not.toBe(0);
      expect(bad.ev.failures()[0]?.msg).toContain(`FAILED on node1: hashkv ${manifest.kv?.hashkv} at revision ${manifest.revision}, the manifest says ${(manifest.kv?.hashkv ?? 0) + 1}`);
      expect((await lab.sh('node1', CLUSTER)).stdout).toBe(before[0]);

      // a truncated snapshot is refused before anything runs on the host
      await writeFile(manifestFile, JSON.stringify(manifest));
      await truncate(path.join(dir, manifest.file), 4096);
      const cut = await runPlaybook('etcd-drill.yml', [lab.inventoryYaml], lab.sshConfig, { etcd_backup_dir: dir });
      expect(cut.ev.failures()[0]?.msg).toContain('its sha256 trailer does not match its content');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await lab.stop();
    }
  }, 180_000);
});
