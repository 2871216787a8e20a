import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/planner/index.js';
import { labSkipReason, withLab } from '../lab/fixture.js';
import { compareRun, entries, hostState, lifeboat, ndjson } from './cli.js';

/**
 * The plan of playbooks/etcd-restore.yml on a 3-member TLS lab with apiserver stand-ins, through the real CLI:
 * it changes nothing (etcd keys, data dir files and checksums, host files, services), it shows each member's
 * own restore command, a stopped member makes the saved plan stale, and an unchanged plan is applied exactly
 * as shown — every key comes back.
 */
const skip = labSkipReason();
const HOSTS = ['node1', 'node2', 'node3'];
const SEED = 300;
const RESTORE_TASK = 'etcd_restore : Restore on every member, each with its own name and peer URL';

describe.skipIf(skip)('lifeboat plan / apply of the etcd restore on lab hosts', () => {
  const lab = withLab({ hosts: 3, seedKeys: SEED });
  let dir: string;
  let backups: string;
  const planArgs = (...more: string[]) => ['plan', '-i', lab().inventoryYaml, 'playbooks/etcd-restore.yml', '-e', `etcd_backup_dir=${backups}`, ...more];
  const services = (action: string, name: string, hosts = HOSTS) =>
    Promise.all(hosts.map(async (h) => expect((await lab().sh(h, `service ${name} ${action}`)).rc).toBe(0)));
  const seedKeys = async () => {
    const got = await lab().readKeys();
    return new Map([...got].filter(([k]) => !k.startsWith('/registry/masterleases/')));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lb-plan-restore-'));
    backups = join(dir, 'backups');
    const r = await lifeboat(['run', '-i', lab().inventoryYaml, 'playbooks/etcd-backup.yml', '-e', `etcd_backup_dir=${backups}`]);
    expect(r.code, r.stderr).toBe(0);
  }, 240_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 240_000);

  it('changes nothing: etcd keys, data dir files and checksums, host files and services are the same after the plan', async () => {
    // The apiserver stand-ins write every 0.5 s: stop them so etcd's data dir holds still while we compare.
    await services('stop', 'kube-apiserver');
    try {
      // Wait until the hosts hold still (followers apply the last writes to their db a moment after the WAL).
      const state = () => Promise.all(HOSTS.map((h) => hostState(lab(), h, { etcd: true })));
      let before = await state();
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const again = await state();
        if (JSON.stringify(again) === JSON.stringify(before)) break;
        before = again;
      }
      const keys = await seedKeys();
      const out = join(dir, 'quiet.plan.json');
      const r = await lifeboat(planArgs('--out', out));
      expect(r.code, r.stderr).toBe(0);
      const after = await state();
      expect(after).toEqual(before);
      expect(await seedKeys()).toEqual(keys);
      expect(before[0]).toContain('/var-lib-etcd/member/snap/db');

      // Each member's own restore command, with the shared cluster and token, in the terminal view and the JSON.
      const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
      const cluster = lab()
        .hosts.map((h) => `${h.etcdName}=${h.peerUrl}`)
        .join(',');
      const token = `lifeboat-lab-${lab().id}`;
      for (const h of lab().hosts) {
        const e = entries(plan).find((x) => x.task === RESTORE_TASK && x.e.host === h.name)?.e;
        expect(e?.status).toBe('change');
        const cmd = e?.steps.find((s) => s.text.includes('snapshot restore'));
        expect(cmd?.destructive).toBeTruthy();
        for (const flag of [`--name=${h.etcdName}`, `--initial-cluster=${cluster}`, `--initial-cluster-token=${token}`, `--initial-advertise-peer-urls=${h.peerUrl}`]) {
          expect(cmd?.text).toContain(flag);
        }
        expect(r.stdout).toContain(cmd?.text);
      }
      expect(plan.summary.destructive).toBeGreaterThanOrEqual(9); // 3 × (stop etcd, move data aside, restore)
    } finally {
      await services('start', 'kube-apiserver');
    }
  }, 240_000);

  it('apply refuses a plan made before an etcd member stopped, saying what differs, and changes nothing', async () => {
    const out = join(dir, 'stale.plan.json');
    expect((await lifeboat(planArgs('--format', 'json', '--out', out))).code).toBe(0);
    await services('stop', 'etcd', ['node3']);
    try {
      const pids = await Promise.all(HOSTS.map((h) => lab().sh(h, 'cat /run/kube-apiserver.pid /run/etcd.pid 2>/dev/null')));
      const r = await lifeboat(['apply', out]);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('no longer matches the present');
      expect(r.stderr).toMatch(/on node3: (was "change", now "ok"|probed facts differ)/);
      expect(r.stderr).toContain('node3: unreachable');
      const after = await Promise.all(HOSTS.map((h) => lab().sh(h, 'cat /run/kube-apiserver.pid /run/etcd.pid 2>/dev/null')));
      expect(after.map((x) => x.stdout)).toEqual(pids.map((x) => x.stdout));
    } finally {
      await services('start', 'etcd', ['node3']);
    }
  }, 240_000);

  it('apply of an unchanged plan runs exactly the planned steps, exits 0, and brings every key back', async () => {
    expect(await lab().disaster({ fraction: 0.5 })).toBeGreaterThan(0);
    const out = join(dir, 'restore.plan.json');
    expect((await lifeboat(planArgs('--format', 'json', '--out', out))).code).toBe(0);
    const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
    const r = await lifeboat(['apply', out, '--json']);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const { mismatches, compared } = compareRun(plan, ndjson(r.stdout));
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(15);
    const got = await seedKeys();
    const want = lab().expectedSeed();
    expect(got.size).toBe(want.size);
    for (const [k, v] of want) expect(got.get(k)).toBe(v);
    // the kept old data is named after the plan's time, as the plan showed
    const kept = (await lab().sh('node2', 'ls -a /var/lib/etcd')).stdout;
    const shown = plan.plays[0]?.tasks.find((t) => t.name === RESTORE_TASK)?.hosts.find((e) => e.host === 'node2')?.steps.map((s) => s.text).join('\n') ?? '';
    const name = kept.split('\n').find((n) => n.startsWith('.lifeboat-'));
    expect(name).toBeTruthy();
    expect(shown).toContain(`/var/lib/etcd/${name}`);
  }, 240_000);

  it('a plan that takes a fresh snapshot first is applied as shown too (the snapshot is named as the plan named it)', async () => {
    const out = join(dir, 'fresh.plan.json');
    expect((await lifeboat(planArgs('--format', 'json', '--out', out, '-e', 'fresh_snapshot=true'))).code).toBe(0);
    const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
    const snap = entries(plan).find((x) => x.task.includes('Snapshot the chosen member') && x.e.status !== 'skip' && x.e.steps.length)?.e;
    const name = /etcd-[\w-]+-\d{8}T\d{6}Z\.db/.exec(snap?.steps.map((st) => st.text).join('\n') ?? '')?.[0];
    expect(name).toBeTruthy();
    const r = await lifeboat(['apply', out, '--json']);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const { mismatches, compared } = compareRun(plan, ndjson(r.stdout));
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(15);
    expect(readdirSync(backups)).toContain(name);
  }, 240_000);
});
