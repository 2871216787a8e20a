/**
 * `lifeboat snapshots list|verify|prune` on a store: s3:// (s3rver in this process, the CLI a child process
 * reaching it on loopback) and sftp:// (an inventory host with ansible_connection local, so the same SftpStore
 * commands run without sshd — the sftp store against a real sshd is test/etcd/store.lab.test.ts).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from '../../src/modules/etcd/s3-store.js';
import type { SnapshotManifest } from '../../src/modules/etcd/types.js';
import { startS3, type TestS3 } from '../etcd/s3-server.js';
import { BIN, BUILT, scratch } from './helpers.js';

const run = promisify(execFile);
/** The CLI as a child process, without blocking this process's event loop (s3rver answers from it). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

function snapshot(dir: string, cluster: string, time: string): { file: string; m: SnapshotManifest } {
  const body = randomBytes(64 * 1024);
  const name = `${cluster}-m1-${time.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.db`;
  writeFileSync(join(dir, name), body);
  const m: SnapshotManifest = { file: name, cluster, member: 'm1', host: 'h1', revision: 7, total_keys: 3, total_size: body.length, hash: 1, sha256: createHash('sha256').update(body).digest('hex'), time };
  return { file: join(dir, name), m };
}
const days = ['2026-12-01T10:00:00.000Z', '2026-12-02T10:00:00.000Z', '2026-12-03T10:00:00.000Z'];

describe.skipIf(!BUILT)('lifeboat snapshots on an s3:// store', () => {
  let s3: TestS3;
  const work = scratch({});
  const url = 's3://lifeboat-backups/etcd/cli';
  let e: string[];
  beforeAll(async () => {
    s3 = await startS3('lifeboat-backups');
    e = ['-e', `etcd_backup_s3_endpoint=${s3.endpoint}`, '-e', 'etcd_backup_s3_path_style=true', '-e', 'etcd_backup_s3_access_key_id=S3RVER', '-e', 'etcd_backup_s3_secret_access_key=S3RVER-secret-for-the-cli', '-e', 'etcd_backup_s3_max_attempts=1'];
    const store = new S3Store(url, s3.options);
    for (const t of days) {
      const s = snapshot(work, 'prod', t);
      await store.put(s.file, s.m);
    }
    const st = snapshot(work, 'stage', '2026-11-01T00:00:00.000Z');
    await store.put(st.file, st.m);
    store.destroy();
  });
  afterAll(async () => {
    await s3?.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const names = days.map((t) => `prod-m1-${t.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.db`);
  const object = (n: string) => join(s3.dir, 'lifeboat-backups', 'etcd', 'cli', `${n}._S3rver_object`);

  it('lists the snapshots with a manifest, oldest first, and verifies them in the store', async () => {
    const l = await cli(['snapshots', 'list', url, ...e, '--cluster', 'prod']);
    expect(l.stderr).toBe('');
    expect(l.code).toBe(0);
    expect(l.stdout.trim().split('\n').map((x) => x.split('  ')[0])).toEqual(names);
    const v = await cli(['snapshots', 'verify', url, ...e]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim().split('\n')).toEqual(['ok      stage-m1-20261101T000000Z.db', ...names.map((n) => `ok      ${n}`)]);
  });

  it('verify names a copy damaged in the store (exit 2), and prune then removes nothing', async () => {
    const f = object(names[2] ?? '');
    const good = readFileSync(f);
    const bad = Buffer.from(good);
    bad[10] = (bad[10] ?? 0) ^ 0xff;
    writeFileSync(f, bad);
    const v = await cli(['snapshots', 'verify', url, ...e, '--cluster', 'prod']);
    expect(v.code).toBe(2);
    expect(v.stdout).toMatch(new RegExp(`FAILED  ${names[2]}: sha256 [0-9a-f]{64} in ${url} differs from the manifest's [0-9a-f]{64}`));
    const p = await cli(['snapshots', 'prune', url, ...e, '--cluster', 'prod', '--retain', '1', '--yes']);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain(`${url}: the newest snapshot kept (${names[2]}) does not verify`);
    expect((await cli(['snapshots', 'list', url, ...e, '--cluster', 'prod'])).stdout.trim().split('\n')).toHaveLength(3);
    writeFileSync(f, good);
  });

  it('prune shows first, removes with --yes; only the named cluster; the secret is never printed', async () => {
    const dry = await cli(['snapshots', 'prune', url, ...e, '--cluster', 'prod', '--retain', '1']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`keep    ${names[2]}\nremove  ${names[0]}\nremove  ${names[1]}\nnothing removed yet: add --yes\n`);
    const r = await cli(['snapshots', 'prune', url, ...e, '--cluster', 'prod', '--retain', '1', '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).removed).toEqual([`s3://lifeboat-backups/etcd/cli/${names[0]}`, `s3://lifeboat-backups/etcd/cli/${names[1]}`]);
    const l = await cli(['snapshots', 'list', url, ...e, '--json']);
    expect((JSON.parse(l.stdout) as Array<{ file: string }>).map((x) => x.file.split('/').pop())).toEqual(['stage-m1-20261101T000000Z.db', names[2]]);
    for (const x of [dry, r, l]) expect(x.stdout + x.stderr).not.toContain('S3RVER-secret-for-the-cli');
  });

  it('names the store and the failure when the server is not there', async () => {
    const r = await cli(['snapshots', 'list', url, '-e', 'etcd_backup_s3_endpoint=http://127.0.0.1:9', '-e', 'etcd_backup_s3_path_style=true', '-e', 'etcd_backup_s3_access_key_id=x', '-e', 'etcd_backup_s3_secret_access_key=secret-not-printed', '-e', 'etcd_backup_s3_max_attempts=1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${url}: listing failed`);
    expect(r.stderr).not.toContain('secret-not-printed');
  });
});

describe.skipIf(!BUILT)('lifeboat snapshots on an sftp:// store (through the inventory)', () => {
  const work = scratch({ 'inv.yml': 'all:\n  hosts:\n    backup1:\n      ansible_connection: local\n' });
  const storeDir = join(work, 'store');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lists, verifies and prunes what uploadToStore put there; a .partial and a snapshot without manifest are not seen', async () => {
    mkdirSync(storeDir);
    const url = `sftp://backup1${storeDir}`;
    const names: string[] = [];
    for (const t of days) {
      const s = snapshot(work, 'prod', t);
      names.push(s.m.file);
      writeFileSync(join(storeDir, s.m.file), readFileSync(s.file));
      writeFileSync(join(storeDir, s.m.file.replace(/\.db$/, '.json')), JSON.stringify(s.m));
    }
    writeFileSync(join(storeDir, 'prod-m1-20261204T000000Z.db.partial'), 'cut halfway');
    writeFileSync(join(storeDir, 'prod-m1-20261205T000000Z.db'), 'no manifest');
    const inv = ['-i', join(work, 'inv.yml')];
    const l = await cli(['snapshots', 'list', url, ...inv]);
    expect(l.stderr).toBe('');
    expect(l.stdout.trim().split('\n').map((x) => x.split('  ')[0])).toEqual(names);
    writeFileSync(join(storeDir, names[0] ?? ''), 'damaged');
    const v = await cli(['snapshots', 'verify', url, ...inv]);
    expect(v.code).toBe(2);
    expect(v.stdout).toMatch(new RegExp(`^FAILED  ${names[0]}: sha256 [0-9a-f]{64} in ${url} differs`));
    const p = await cli(['snapshots', 'prune', url, ...inv, '--cluster', 'prod', '--retain', '2', '--yes']);
    expect(p.code).toBe(0);
    expect(p.stdout).toBe(`keep    ${names[1]}\nkeep    ${names[2]}\nremoved ${names[0]}\n`);
    expect(readdirSync(storeDir).sort()).toEqual([...names.slice(1).flatMap((n) => [n, n.replace(/\.db$/, '.json')]), 'prod-m1-20261204T000000Z.db.partial', 'prod-m1-20261205T000000Z.db'].sort());
  });
});
