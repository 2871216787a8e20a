/**
 * The disaster a restore exists for: quorum lost (etcd stopped on 2 of 3, data intact), then every member
 * stopped — restored from the last backup with an inventory that says nothing about etcd (connection variables
 * and groups only), so every value comes from the hosts' own unit / env file / flags.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cachedEtcd } from '../lab/etcd-dist.js';
import { labSkipReason } from '../lab/fixture.js';
import { type Lab, type LabOptions, startLab } from '../lab/index.js';
import { dataKeys } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

const SKIP = labSkipReason() ?? (cachedEtcd('3.5') ? undefined : 'etcd 3.5 not in the cache: npm run lab -- fetch-etcd 3.5');
if (SKIP) console.warn(`[lab] skipping the quorum-lost lab test: ${SKIP}`);

/** The lab's inventory with every etcd_* variable removed: what an operator who never described etcd has. */
async function bareInventory(lab: Lab, dir: string): Promise<string> {
  const doc = parse(await readFile(lab.inventoryYaml, 'utf8')) as { all: Record<string, unknown> };
  const strip = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k.startsWith('etcd_')) delete (node as Record<string, unknown>)[k];
      else strip(v);
    }
  };
  strip(doc.all);
  const file = path.join(dir, 'bare.yml');
  await writeFile(file, stringify(doc));
  return file;
}

const PREFLIGHT = 'etcd_restore : Preflight — reachable hosts, inventory vs running config, snapshot, tools, disk (changes nothing)';
const VERIFY = 'etcd_verify : Verify etcd member by member (health, one leader, one cluster ID, planned members, revision, alarms)';

async function restoreDown(opts: Omit<LabOptions, 'hosts'>): Promise<void> {
  const lab = await startLab({ ...opts, hosts: 3, seedKeys: 120 });
  const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-quorum-'));
  try {
    const inv = await bareInventory(lab, dir);
    const text = await readFile(inv, 'utf8');
    expect(text).not.toContain('etcd_');
    const b = await runPlaybook('etcd-backup.yml', [inv], lab.sshConfig, { etcd_backup_dir: dir });
    expect(b.ev.failures().map((f) => f.msg)).toEqual([]);
    const members = ['etcd-node1', 'etcd-node2', 'etcd-node3'];
    for (const [stopped, label] of [
      [['node2', 'node3'], 'quorum lost'],
      [['node1', 'node2', 'node3'], 'all stopped'],
    ] as const) {
      // writes after the backup: the restore rewinds them
      await lab.etcdctl('node1', ['put', '/after-backup', label]);
      for (const h of stopped) expect((await lab.sh(h, 'service etcd stop >/dev/null 2>&1; service etcd status >/dev/null 2>&1 && echo running || echo gone')).stdout).toBe('gone\n');
      const r = await runPlaybook('etcd-restore.yml', [inv], lab.sshConfig, { etcd_backup_dir: dir });
      expect(r.ev.failures().map((f) => `${label}: ${f.task}: ${f.msg}`)).toEqual([]);
      expect(r.summary.exitCode).toBe(0);
      // no member has quorum: no live revision to compare, the loss is the snapshot's age
      expect(r.ev.results(PREFLIGHT)[0]?.msg).toContain('no member answers, so every write since the snapshot is lost');
      // nothing in the inventory: every value was read from the hosts (their unit or env file), and says so
      expect(r.ev.results(PREFLIGHT)[0]?.msg).toMatch(/\n {4}node2: name etcd-node2 \((systemd-unit|env-file) \/(etc|lib)\/[^)]+\), peer https?:\/\/[\d.]+:2380 \((systemd-unit|env-file) /);
      expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
      expect(r.ev.results(VERIFY)[0]?.msg).toContain(`3 members ${members.join(', ')}; one leader`);
      for (const h of lab.hosts.filter((x) => x.master)) {
        expect((await lab.sh(h.name, 'cat /var/log/kube-apiserver.backwards 2>/dev/null')).stdout).toBe('');
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await lab.stop();
  }
}

describe.skipIf(SKIP !== undefined)('restore of a cluster that is down, from an inventory that does not describe etcd', () => {
  it('sysvinit hosts, etcd 3.4: quorum lost, then every member stopped', () => restoreDown({}), 180_000);
  it('systemd hosts, etcd 3.5: quorum lost, then every member stopped', () => restoreDown({ init: 'systemd', etcdVersion: '3.5' }), 180_000);
  it('binary (kubeasz) topology, Restart=always units: quorum lost, then every member stopped', () => restoreDown({ topology: 'binary' }), 180_000);
});
