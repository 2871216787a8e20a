import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedEtcd } from '../lab/etcd-dist.js';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { CONTROL_PLANE, dataKeys, isRunning } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

/** Where the lab cannot run, or etcd 3.5 was never fetched (`npm run lab -- fetch-etcd 3.5`), skipped with why. */
const SKIP = labSkipReason() ?? (cachedEtcd('3.5') ? undefined : 'etcd 3.5 not in the cache: npm run lab -- fetch-etcd 3.5 (scripts/setup.sh does)');
if (SKIP) console.warn(`[lab] skipping the etcd 3.5 lab test: ${SKIP}`);

describe.skipIf(SKIP !== undefined)('etcd 3.5 (Debian sid release laid over the hosts’ /usr)', () => {
  it('3 TLS members on 3.5: backup, lose every key, restore, verify — on the 3.5 binaries', async () => {
    const lab = await startLab({ hosts: 3, seedKeys: 200, etcdVersion: '3.5' });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-etcd35-'));
    try {
      for (const h of ['node1', 'node2', 'node3']) {
        const v = await lab.sh(h, 'etcd --version; etcdutl version; command -v etcdutl');
        expect(v.stdout).toContain('etcd Version: 3.5.');
        expect(v.stdout).toContain('etcdutl version: 3.5.');
        expect(v.stdout).toContain('/usr/bin/etcdutl');
      }
      const status = JSON.parse((await lab.etcdctl('node1', ['endpoint', 'status', '-w', 'json'])).stdout) as { Status: { version: string } }[];
      expect(status[0]?.Status.version).toMatch(/^3\.5\./);

      const b = await runPlaybook('etcd-backup.yml', [lab.inventoryIni], lab.sshConfig, { etcd_backup_dir: dir });
      expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
      const file = readdirSync(dir).find((f) => f.endsWith('.db'));
      expect(file).toBeDefined();
      await lab.disaster({ fraction: 1 });
      expect((await dataKeys(lab)).size).toBe(0);
      const r = await runPlaybook('etcd-restore.yml', [lab.inventoryIni], lab.sshConfig, { etcd_backup_dir: dir, snapshot: path.join(dir, file as string) });
      expect(r.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
      expect(r.summary.exitCode).toBe(0);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      const verify = r.ev.results('etcd_verify : Verify etcd member by member (health, one leader, one cluster ID, planned members, revision, alarms)')[0];
      expect(verify?.msg).toContain('3 members etcd-node1, etcd-node2, etcd-node3; one leader');
      for (const h of ['node1', 'node2', 'node3']) {
        expect((await lab.sh(h, 'ls -d /var/lib/etcd/.lifeboat-*/member')).rc).toBe(0); // old data kept
        // the apiserver stand-ins were stopped for the restore: none saw etcd's revision go down
        expect((await lab.sh(h, 'cat /var/log/kube-apiserver.backwards 2>/dev/null; grep -c "etcd writes ok" /var/log/kube-apiserver.log')).stdout).toMatch(/^[1-9]\d*\n$/);
        for (const s of CONTROL_PLANE) expect(await isRunning(lab, h, s)).toBe(true);
      }
      // the release is only on the hosts: the machine's own /usr/bin has no etcdutl and its etcd stays 3.4
      expect(existsSync('/usr/bin/etcdutl')).toBe(false);
      expect(execFileSync('/usr/bin/etcd', ['--version'], { encoding: 'utf8' })).toContain('etcd Version: 3.4.');
    } finally {
      await lab.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('the same on systemd hosts (etcd.service, units for the stand-ins): the restore stops and starts units', async () => {
    const lab = await startLab({ hosts: 3, seedKeys: 200, etcdVersion: '3.5', init: 'systemd' });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-etcd35-systemd-'));
    try {
      for (const h of ['node1', 'node2', 'node3']) {
        const v = await lab.sh(h, 'etcd --version; etcdutl version; command -v etcdutl');
        expect(v.stdout).toContain('etcd Version: 3.5.');
        expect(v.stdout).toContain('etcdutl version: 3.5.');
        expect(v.stdout).toContain('/usr/bin/etcdutl');
      }
      const status = JSON.parse((await lab.etcdctl('node1', ['endpoint', 'status', '-w', 'json'])).stdout) as { Status: { version: string } }[];
      expect(status[0]?.Status.version).toMatch(/^3\.5\./);

      const b = await runPlaybook('etcd-backup.yml', [lab.inventoryIni], lab.sshConfig, { etcd_backup_dir: dir });
      expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
      const file = readdirSync(dir).find((f) => f.endsWith('.db'));
      expect(file).toBeDefined();
      await lab.disaster({ fraction: 1 });
      expect((await dataKeys(lab)).size).toBe(0);
      const r = await runPlaybook('etcd-restore.yml', [lab.inventoryIni], lab.sshConfig, { etcd_backup_dir: dir, snapshot: path.join(dir, file as string) });
      expect(r.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
      expect(r.summary.exitCode).toBe(0);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      const verify = r.ev.results('etcd_verify : Verify etcd member by member (health, one leader, one cluster ID, planned members, revision, alarms)')[0];
      expect(verify?.msg).toContain('3 members etcd-node1, etcd-node2, etcd-node3; one leader');
      for (const h of ['node1', 'node2', 'node3']) {
        expect((await lab.sh(h, 'ls -d /var/lib/etcd/.lifeboat-*/member')).rc).toBe(0); // old data kept
        // the apiserver stand-ins were stopped for the restore: none saw etcd's revision go down
        expect((await lab.sh(h, 'cat /var/log/kube-apiserver.backwards 2>/dev/null; grep -c "etcd writes ok" /var/log/kube-apiserver.log')).stdout).toMatch(/^[1-9]\d*\n$/);
        for (const s of CONTROL_PLANE) expect(await isRunning(lab, h, s)).toBe(true);
        expect((await lab.sh(h, 'systemctl is-system-running; systemctl is-active etcd')).stdout).toBe('running\nactive\n');
      }
      // the release is only on the hosts: the machine's own /usr/bin has no etcdutl and its etcd stays 3.4
      expect(existsSync('/usr/bin/etcdutl')).toBe(false);
      expect(execFileSync('/usr/bin/etcd', ['--version'], { encoding: 'utf8' })).toContain('etcd Version: 3.4.');
    } finally {
      await lab.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
