/** The full drill the topology tests share: backup with the playbook, lose every key, restore, check it all. */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Lab } from '../lab/index.js';
import { dataKeys } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

const VERIFY = 'etcd_verify : Verify etcd member by member (health, one leader, one cluster ID, planned members, revision, alarms)';

/** etcd-backup.yml → disaster (every key) → etcd-restore.yml of that snapshot → every seeded key back, one
 * leader over the 3 members named, no apiserver stand-in saw etcd go backwards. */
export async function backupDisasterRestore(lab: Lab, members: string[]): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-drill-'));
  try {
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
    expect(r.ev.results(VERIFY)[0]?.msg).toContain(`${members.length} members ${members.join(', ')}; one leader`);
    for (const h of lab.hosts.filter((x) => x.master)) {
      // the stand-ins were stopped for the restore: none saw the revision go down, and they write again
      expect((await lab.sh(h.name, 'cat /var/log/kube-apiserver.backwards 2>/dev/null')).stdout).toBe('');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
