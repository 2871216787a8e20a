import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../lab/index.js';
import { labSkipReason } from '../lab/fixture.js';

/** Where the lab cannot run (not root, packages missing), these tests are skipped and say why. */
const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping etcd lab tests: ${SKIP}`);
import { CONTROL_PLANE, restoreFlow } from './flow.js';
import { ModuleHarness } from './harness.js';

/** One 3-member TLS lab shared by the tests of this file, which run in order. */
let lab: Lab;
let h: ModuleHarness;
let backupDir: string;
let snapshot: string;
const SEED = 600;

/** The keys a test wrote (the apiserver stand-ins keep renewing /registry/masterleases/ on their own). */
async function dataKeys(prefix?: string): Promise<Map<string, string>> {
  const all = await lab.readKeys(prefix);
  return new Map([...all].filter(([k]) => !k.startsWith('/registry/masterleases/')));
}

async function running(host: string, svc: string): Promise<boolean> {
  return (await lab.sh(host, `service ${svc} status`)).rc === 0;
}

beforeAll(async () => {
  if (SKIP) return;
  lab = await startLab({ hosts: 3, seedKeys: SEED });
  backupDir = await mkdtemp(path.join(tmpdir(), 'lifeboat-etcd-backup-'));
  h = new ModuleHarness(lab, backupDir);
  for (const n of h.groups.etcd ?? []) await h.run('etcd_facts', n, {});
});

afterAll(async () => {
  await lab?.stop();
  if (backupDir) await rm(backupDir, { recursive: true, force: true });
});

describe.skipIf(SKIP !== undefined)('etcd modules on a 3-member TLS lab', () => {
  it('etcd_facts reads the running member from its process (not by name: shared PID namespace)', () => {
    const f = h.hostvars.node2?.etcd_facts as Record<string, any>;
    expect(f.source).toBe('process');
    expect(f.config.name).toBe('etcd-node2');
    expect(f.config.initial_advertise_peer_urls).toEqual([lab.hosts[1]?.peerUrl]);
    expect(f.config.client_tls.ca_file).toBe('/etc/kubernetes/pki/etcd/ca.crt');
    expect(f.data_dir_mountpoint).toBe(true);
    expect(f.etcdctl.version).toBe('3.4.23');
  });

  it('etcd_facts of a stopped member come from /etc/default/etcd (multi-line DAEMON_ARGS)', async () => {
    await h.service(['node3'], 'etcd', 'stop');
    try {
      const r = await h.run('etcd_facts', 'node3', {});
      const f = (r.ansible_facts as Record<string, any>).etcd_facts;
      expect(f).toMatchObject({ source: 'env-file', running: false, source_files: ['/etc/default/etcd'] });
      expect(f.config).toMatchObject({ name: 'etcd-node3', data_dir: '/var/lib/etcd', initial_advertise_peer_urls: [lab.hosts[2]?.peerUrl] });
      expect(f.config.client_tls.cert_file).toBe('/etc/kubernetes/pki/etcd/server.crt');
    } finally {
      await h.service(['node3'], 'etcd', 'start');
      await h.run('etcd_facts', 'node3', {});
    }
    const st = await h.run('etcd_status', 'node1', {});
    expect(st.healthy, String(st.problems)).toBe(true);
  });

  it('backup: snapshot from the chosen member; manifest agrees with snapshot status and sha256', async () => {
    const st = await h.run('etcd_status', 'node1', {});
    expect(st.healthy).toBe(true);
    const source = st.source_host as string;
    const r = await h.run('etcd_snapshot', source, { backup_dir: backupDir, retain: 2, cluster: 'lab' });
    expect(r.failed, r.msg).toBeFalsy();
    snapshot = r.snapshot as string;
    const m = JSON.parse(await readFile(r.manifest_file as string, 'utf8'));
    expect(path.basename(snapshot)).toMatch(new RegExp(`^lab-etcd-${source}-\\d{8}T\\d{6}Z\\.db$`));
    // independent check on the controller with the real tools
    const { execFileSync } = await import('node:child_process');
    const status = JSON.parse(execFileSync('etcdctl', ['snapshot', 'status', snapshot, '-w', 'json'], { env: { ...process.env, ETCDCTL_API: '3' } }).toString());
    const sha = execFileSync('sha256sum', [snapshot]).toString().split(' ')[0];
    expect(m).toMatchObject({ cluster: 'lab', member: `etcd-${source}`, revision: status.revision, total_keys: status.totalKey, total_size: status.totalSize, hash: status.hash, sha256: sha, etcd_version: '3.4.23' });
    expect(status.totalKey).toBeGreaterThanOrEqual(SEED);
  });

  it('retention keeps the newest N snapshots of the cluster', async () => {
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 1100)); // distinct second-resolution names
      const r = await h.run('etcd_snapshot', 'node1', { backup_dir: backupDir, retain: 2, cluster: 'lab' });
      expect(r.failed, r.msg).toBeFalsy();
    }
    const { readdir } = await import('node:fs/promises');
    const dbs = (await readdir(backupDir)).filter((f) => f.endsWith('.db'));
    expect(dbs).toHaveLength(2);
    expect(dbs).not.toContain(path.basename(snapshot));
    snapshot = path.join(backupDir, dbs.sort()[1] as string);
  });

  it('a truncated or corrupted snapshot is refused in preflight and nothing is stopped', async () => {
    const bad = path.join(backupDir, 'bad-truncated.db');
    await writeFile(bad, await readFile(snapshot));
    await truncate(bad, 20000);
    const corrupt = path.join(backupDir, 'bad-corrupt.db');
    const buf = await readFile(snapshot);
    buf.write('XXXXXXXX', 9000);
    await writeFile(corrupt, buf);
    for (const f of [bad, corrupt]) {
      const r = await restoreFlow(h, f, { ts: 'BAD' });
      expect(r.stage).toBe('preflight');
      expect(r.preflight.failed).toBe(true);
      expect(r.preflight.msg).toContain('trailer does not match');
    }
    for (const n of ['node1', 'node2', 'node3']) {
      expect(await running(n, 'etcd')).toBe(true);
      for (const svc of CONTROL_PLANE) expect(await running(n, svc)).toBe(true);
    }
    await rm(bad);
    await rm(corrupt);
  });

  it('restore after deleting keys: every key back, one leader, planned names, old data kept, control plane up', async () => {
    const deleted = await lab.disaster({ fraction: 0.5 });
    expect(deleted).toBeGreaterThan(0);
    expect((await dataKeys()).size).toBe(SEED - deleted);
    const r = await restoreFlow(h, snapshot, { ts: '20260101T000000Z' });
    expect(r.verify?.failed, r.verify?.msg).toBeFalsy();
    expect(r.stage).toBe('restored');
    expect(r.verify?.verified).toBe(true);
    const keys = await dataKeys();
    expect(keys).toEqual(lab.expectedSeed());
    const views = r.verify?.members as Array<{ host: string; members: Array<{ name: string }> }>;
    expect(views).toHaveLength(3);
    for (const v of views) expect(v.members.map((m) => m.name).sort()).toEqual(['etcd-node1', 'etcd-node2', 'etcd-node3']);
    expect(typeof r.verify?.leader_name).toBe('string');
    for (const n of ['node1', 'node2', 'node3']) {
      // the data dir is a mount point: the old contents are kept inside it, next to the restored member/
      const ls = await lab.sh(n, 'ls -A /var/lib/etcd /var/lib/etcd/.lifeboat-20260101T000000Z');
      expect(ls.stdout).toContain('.lifeboat-20260101T000000Z');
      expect(ls.stdout).toMatch(/lifeboat-20260101T000000Z:\nmember/);
      const marker = JSON.parse((await lab.sh(n, 'cat /var/lib/lifeboat/etcd-restore.json')).stdout);
      expect(marker.kept).toEqual([{ dir: '/var/lib/etcd', kept_at: '/var/lib/etcd/.lifeboat-20260101T000000Z', mode: 'contents' }]);
      expect((await lab.sh(n, 'stat -c %U /var/lib/etcd/member')).stdout.trim()).toBe('etcd');
      for (const svc of CONTROL_PLANE) expect(await running(n, svc)).toBe(true);
    }
  });

  it('the multi-leader trap: nodes restored without per-node flags are caught by etcd_verify; Lifeboat’s restore then passes', async () => {
    const etcd = h.groups.etcd ?? [];
    await h.service(etcd, 'etcd', 'stop');
    await Promise.all(
      etcd.map(async (n) => {
        await h.conn(n).put(snapshot, '/tmp/trap.db');
        const r = await lab.sh(
          n,
          'set -e; mkdir /var/lib/etcd/.trap-old; find /var/lib/etcd -mindepth 1 -maxdepth 1 ! -name ".*" -exec mv -t /var/lib/etcd/.trap-old {} +; ' +
            'ETCDCTL_API=3 etcdctl snapshot restore /tmp/trap.db --data-dir /var/lib/etcd/.trap-new >/dev/null 2>&1; ' +
            'mv /var/lib/etcd/.trap-new/member /var/lib/etcd/member; chown -R etcd: /var/lib/etcd/member',
        );
        expect(r.rc, r.stderr).toBe(0);
      }),
    );
    await h.service(etcd, 'etcd', 'start');
    const bad = await h.run('etcd_verify', 'node1', { timeout_s: 3 });
    expect(bad.failed).toBe(true);
    expect(bad.msg).toContain('8e9e05c52164694d');
    expect(bad.msg).toContain('3 members say they are the leader');
    expect(bad.msg).toContain('node2 (https://10.');
    const good = await restoreFlow(h, snapshot, { ts: '20260101T000100Z' });
    expect(good.verify?.failed, good.verify?.msg).toBeFalsy();
    expect(await dataKeys()).toEqual(lab.expectedSeed());
  });

  it('a member that fails after the restore: verify fails, every member is rolled back and serves its old data', async () => {
    const before = await dataKeys('/registry/pods/');
    await lab.disaster({ prefix: '/registry/pods/' });
    const afterDisaster = await dataKeys();
    expect([...afterDisaster.keys()].some((k) => k.startsWith('/registry/pods/'))).toBe(false);
    const r = await restoreFlow(h, snapshot, {
      ts: '20260101T000200Z',
      verifyTimeout: 5,
      // node3's restored data becomes unreadable for the etcd user: it cannot start
      afterRestore: async () => void (await lab.sh('node3', 'chown -R root: /var/lib/etcd/member && chmod 700 /var/lib/etcd/member')),
    });
    expect(r.stage).toBe('rolled-back');
    expect(r.verify?.msg).toContain('node3: not answering');
    for (const rb of r.rollbacks ?? []) expect(rb.failed, rb.msg).toBeFalsy();
    const v = await h.run('etcd_verify', 'node1', { timeout_s: 30 });
    expect(v.failed, v.msg).toBeFalsy();
    // the old data (after the disaster) is what is served again, on every member
    expect(await dataKeys()).toEqual(afterDisaster);
    expect(before.size).toBeGreaterThan(0);
    for (const n of ['node1', 'node2', 'node3']) {
      const ls = (await lab.sh(n, 'ls -A /var/lib/etcd')).stdout;
      expect(ls).toContain('.lifeboat-failed-20260101T000200Zrb');
      expect(ls).not.toContain('.lifeboat-20260101T000200Z\n');
    }
  });
});
