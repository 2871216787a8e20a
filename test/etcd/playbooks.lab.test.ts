import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../lab/index.js';
import { labSkipReason } from '../lab/fixture.js';

/** Where the lab cannot run (not root, packages missing), these tests are skipped and say why. */
const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping etcd lab tests: ${SKIP}`);
import { CONTROL_PLANE, dataKeys, isRunning } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

/**
 * playbooks/etcd-backup.yml and etcd-restore.yml through the real engine and SSH on a 3-member TLS lab with
 * apiserver stand-ins. Results are checked on the hosts and in etcd directly, not through Lifeboat.
 */
let lab: Lab;
let backupDir: string;
const SEED = 500;
const run = (pb: string, extra: Record<string, unknown> = {}, check = false) =>
  runPlaybook(pb, [lab.inventoryIni], lab.sshConfig, { etcd_backup_dir: backupDir, ...extra }, { check });

beforeAll(async () => {
  if (SKIP) return;
  lab = await startLab({ hosts: 3, seedKeys: SEED });
  backupDir = await mkdtemp(path.join(tmpdir(), 'lifeboat-pb-backup-'));
});
afterAll(async () => {
  await lab?.stop();
  if (backupDir) await rm(backupDir, { recursive: true, force: true });
});

describe.skipIf(SKIP !== undefined)('etcd playbooks on a 3-member TLS lab', () => {
  it('etcd-backup.yml: one snapshot + manifest that agree with snapshot status', async () => {
    const { summary, ev } = await run('etcd-backup.yml');
    expect(ev.failures().map((f) => f.msg)).toEqual([]);
    expect(summary.exitCode).toBe(0);
    const files = (await readdir(backupDir)).sort();
    expect(files).toHaveLength(2);
    const db = path.join(backupDir, files.find((f) => f.endsWith('.db')) as string);
    const m = JSON.parse(await readFile(db.replace(/\.db$/, '.json'), 'utf8'));
    const st = JSON.parse(execFileSync('etcdctl', ['snapshot', 'status', db, '-w', 'json'], { env: { ...process.env, ETCDCTL_API: '3' } }).toString());
    expect(m).toMatchObject({ revision: st.revision, total_keys: st.totalKey, total_size: st.totalSize, hash: st.hash });
    expect(m.sha256).toBe(execFileSync('sha256sum', [db]).toString().split(' ')[0]);
  });

  it('etcd-restore.yml refuses a corrupted snapshot in preflight and stops nothing', async () => {
    const files = (await readdir(backupDir)).filter((f) => f.endsWith('.db'));
    const good = await readFile(path.join(backupDir, files[0] as string));
    const bad = path.join(backupDir, 'corrupt.db');
    good.write('garbage!', 5000);
    await writeFile(bad, good);
    const { summary, ev } = await run('etcd-restore.yml', { snapshot: bad });
    expect(summary.exitCode).not.toBe(0);
    const pre = ev.failures();
    expect(pre.length).toBeGreaterThan(0);
    expect(pre[0]?.task).toContain('Preflight');
    expect(pre[0]?.msg).toContain('trailer does not match');
    expect(ev.results('kube_control_plane : Stop the control plane services, apiserver first')).toEqual([]);
    for (const h of ['node1', 'node2', 'node3']) {
      expect(await isRunning(lab, h, 'etcd')).toBe(true);
      for (const s of CONTROL_PLANE) expect(await isRunning(lab, h, s)).toBe(true);
    }
    await rm(bad);
  });

  it('etcd-restore.yml in plan mode changes nothing and shows the destructive steps', async () => {
    await lab.disaster({ fraction: 0.4 });
    const before = await dataKeys(lab);
    const { ev } = await run('etcd-restore.yml', {}, true);
    const plans = ev.events.filter((e) => e.type === 'host_plan');
    const restore = plans.filter((p) => p.type === 'host_plan' && p.task.includes('Restore on every member'));
    expect(restore).toHaveLength(3);
    for (const p of restore) {
      if (p.type !== 'host_plan') continue;
      expect(p.destructive.join(' ')).toContain('replaces the etcd data in /var/lib/etcd');
      expect(p.steps.map((s) => s.text).join('\n')).toContain(`--name=etcd-${p.host}`);
    }
    expect(await dataKeys(lab)).toEqual(before);
    for (const h of ['node1', 'node2', 'node3']) expect(await isRunning(lab, h, 'kube-apiserver')).toBe(true);
  });

  it('etcd-restore.yml (newest snapshot): every key back, one leader, old data kept, control plane running', async () => {
    const { summary, ev } = await run('etcd-restore.yml');
    expect(ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
    expect(summary.exitCode).toBe(0);
    expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
    const verify = ev.results('etcd_verify : Verify etcd member by member (health, one leader, one cluster ID, planned members, revision, alarms)');
    expect(verify[0]?.msg).toMatch(/etcd verified: 3 members etcd-node1, etcd-node2, etcd-node3; one leader; one cluster ID; leader etcd-node\d/);
    const summaryMsg = ev.results('Summary')[0]?.msg ?? '';
    expect(summaryMsg).toMatch(/revision \d+, keys \d+, leader etcd-node\d, cluster ID [0-9a-f]{16}/);
    for (const h of ['node1', 'node2', 'node3']) {
      const kept = (await lab.sh(h, 'ls -d /var/lib/etcd/.lifeboat-*/member')).stdout.trim();
      expect(kept).toMatch(/^\/var\/lib\/etcd\/\.lifeboat-\d{8}T\d{6}Z\/member$/);
      expect(summaryMsg).toContain(`${h}: old data kept at ${path.dirname(kept)}`);
      for (const s of CONTROL_PLANE) expect(await isRunning(lab, h, s)).toBe(true);
    }
    const members = JSON.parse((await lab.etcdctl('node1', ['member', 'list', '-w', 'json'])).stdout).members;
    expect(members.map((m: { name: string }) => m.name).sort()).toEqual(['etcd-node1', 'etcd-node2', 'etcd-node3']);
  });

  it('a restore that fails verification is rolled back on every member, which serve the old data again', async () => {
    await lab.disaster({ prefix: '/registry/secrets/' });
    const old = await dataKeys(lab);
    // An impossible expectation makes verification fail after a complete restore.
    const { summary, ev } = await run('etcd-restore.yml', { etcd_verify_min_revision: 999999999, etcd_verify_timeout: 3 });
    expect(summary.exitCode).not.toBe(0);
    const fail = ev.results('Fail with the report')[0];
    expect(fail?.msg).toContain('etcd restore rolled back');
    expect(fail?.msg).toContain("revision");
    expect(fail?.msg).toContain("below the snapshot's 999999999");
    const rb = ev.results("etcd_restore : Put every member's kept data back (the restored data is moved aside, not deleted)");
    expect(rb.map((r) => r.status)).toEqual(['changed', 'changed', 'changed']);
    expect(await dataKeys(lab)).toEqual(old);
    for (const h of ['node1', 'node2', 'node3']) {
      expect((await lab.sh(h, 'ls -d /var/lib/etcd/.lifeboat-failed-*')).rc).toBe(0);
      for (const s of CONTROL_PLANE) expect(await isRunning(lab, h, s)).toBe(true);
    }
  }, 120_000);

  it('a member whose restore fails: every member is rolled back at once, serves its old data, and the run says why', async () => {
    await lab.disaster({ prefix: '/registry/configmaps/' });
    const old = await dataKeys(lab);
    // node3's etcdctl fails `snapshot restore` (a wrapper earlier in PATH); everything else passes through
    const wrap = await lab.sh('node3', `printf '%s\\n' '#!/bin/sh' 'case "$*" in *"snapshot restore"*) echo "Error: injected restore failure" >&2; exit 1;; esac' 'exec /usr/bin/etcdctl "$@"' > /usr/local/bin/etcdctl && chmod 755 /usr/local/bin/etcdctl`);
    expect(wrap.rc, wrap.stderr).toBe(0);
    try {
      const { summary, ev } = await run('etcd-restore.yml', { etcd_verify_timeout: 3 });
      expect(summary.exitCode).not.toBe(0);
      const gate = ev.results('etcd_restore : Go on only if every member was restored');
      // if the run stopped before the gate, say where (failed steps, ignored ones included)
      const stops = ev.events.flatMap((e) => (e.type === 'host_result' && e.status === 'failed' ? [`${e.host} ${e.task}: ${e.msg}`] : []));
      expect(gate[0]?.status, stops.join('\n')).toBe('failed');
      expect(gate[0]?.msg).toContain('node3: step failed');
      expect(gate[0]?.msg).toContain('injected restore failure');
      expect(gate[0]?.msg).not.toContain('node1:');
      // nobody started on restored data; every member rolled back together
      expect(ev.results('etcd_restore : Start every member together')).toEqual([]);
      const rb = ev.results("etcd_restore : Put every member's kept data back (the restored data is moved aside, not deleted)");
      expect(rb.map((r) => `${r.host}:${r.status}`)).toEqual(['node1:changed', 'node2:changed', 'node3:changed']);
      expect(ev.results('Fail with the report')[0]?.msg).toContain('etcd restore rolled back: the restore failed — node3');
    } finally {
      await lab.sh('node3', 'rm -f /usr/local/bin/etcdctl');
    }
    expect(await dataKeys(lab)).toEqual(old);
    for (const h of ['node1', 'node2', 'node3']) {
      expect(await isRunning(lab, h, 'etcd')).toBe(true);
      for (const s of CONTROL_PLANE) expect(await isRunning(lab, h, s)).toBe(true);
    }
    const health = await lab.etcdctl('node1', ['endpoint', 'health', '--cluster', '-w', 'json']);
    expect(JSON.parse(health.stdout).map((e: { health: boolean }) => e.health)).toEqual([true, true, true]);
  }, 120_000);
});
