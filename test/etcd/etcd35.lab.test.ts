import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cachedEtcd } from '../lab/etcd-dist.js';
import { labSkipReason } from '../lab/fixture.js';
import { type LabOptions, startLab } from '../lab/index.js';
import { backupDisasterRestore } from './full-restore.js';
import { CONTROL_PLANE, isRunning } from './lab-keys.js';

/** Where the lab cannot run, or etcd 3.5 was never fetched (`npm run lab -- fetch-etcd 3.5`), skipped with why. */
const SKIP = labSkipReason() ?? (cachedEtcd('3.5') ? undefined : 'etcd 3.5 not in the cache: npm run lab -- fetch-etcd 3.5 (scripts/setup.sh does)');
if (SKIP) console.warn(`[lab] skipping the etcd 3.5 lab test: ${SKIP}`);

const MEMBERS = ['etcd-node1', 'etcd-node2', 'etcd-node3'];

async function drill(init: LabOptions['init']): Promise<void> {
  const lab = await startLab({ hosts: 3, seedKeys: 200, etcdVersion: '3.5', ...(init ? { init } : {}) });
  try {
    for (const h of ['node1', 'node2', 'node3']) {
      const v = await lab.sh(h, 'etcd --version; etcdutl version; command -v etcdutl');
      expect(v.stdout).toContain('etcd Version: 3.5.');
      expect(v.stdout).toContain('etcdutl version: 3.5.');
      expect(v.stdout).toContain('/usr/bin/etcdutl');
    }
    const status = JSON.parse((await lab.etcdctl('node1', ['endpoint', 'status', '-w', 'json'])).stdout) as { Status: { version: string } }[];
    expect(status[0]?.Status.version).toMatch(/^3\.5\./);
    await backupDisasterRestore(lab, MEMBERS);
    for (const h of ['node1', 'node2', 'node3']) {
      expect((await lab.sh(h, 'ls -d /var/lib/etcd/.lifeboat-*/member')).rc).toBe(0); // old data kept
      for (const s of CONTROL_PLANE) expect(await isRunning(lab, h, s)).toBe(true);
      if (init === 'systemd') expect((await lab.sh(h, 'systemctl is-system-running; systemctl is-active etcd')).stdout).toBe('running\nactive\n');
    }
    // the release is only on the hosts: the machine's own /usr/bin has no etcdutl and its etcd stays 3.4
    expect(existsSync('/usr/bin/etcdutl')).toBe(false);
    expect(execFileSync('/usr/bin/etcd', ['--version'], { encoding: 'utf8' })).toContain('etcd Version: 3.4.');
  } finally {
    await lab.stop();
  }
}

describe.skipIf(SKIP !== undefined)('etcd 3.5 (Debian sid release laid over the hosts’ /usr)', () => {
  it('3 TLS members on 3.5: backup, lose every key, restore, verify — on the 3.5 binaries', () => drill(undefined), 180_000);
  it('the same on systemd hosts (etcd.service, units for the stand-ins): the restore stops and starts units', () => drill('systemd'), 180_000);
});
