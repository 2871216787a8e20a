import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT, lifeboat, scratch } from './helpers.js';

/** A file shaped as `snapshot save` writes it (content + its sha256), with a Lifeboat manifest. */
function snapshot(dir: string, cluster: string, time: string, opts: { corrupt?: boolean } = {}): string {
  const body = Buffer.from(`etcd data of ${cluster} at ${time}`.padEnd(4096, '.'));
  const file = Buffer.concat([body, createHash('sha256').update(body).digest()]);
  const name = `${cluster}-m1-${time.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.db`;
  writeFileSync(join(dir, name), opts.corrupt ? Buffer.concat([file.subarray(0, 100), Buffer.from('X'), file.subarray(101)]) : file);
  const manifest = { file: name, cluster, member: 'm1', host: 'h1', revision: 7, total_keys: 3, total_size: body.length, hash: 1, sha256: createHash('sha256').update(file).digest('hex'), time };
  writeFileSync(join(dir, name.replace(/\.db$/, '.json')), JSON.stringify(manifest));
  return name;
}

describe.skipIf(!BUILT)('lifeboat snapshots', () => {
  const dir = scratch({});
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const days = ['2026-12-01T10:00:00.000Z', '2026-12-02T10:00:00.000Z', '2026-12-03T09:00:00.000Z', '2026-12-03T10:00:00.000Z'];
  const names = days.map((t) => snapshot(dir, 'prod', t));
  const other = snapshot(dir, 'stage', '2026-11-01T00:00:00.000Z');
  writeFileSync(join(dir, 'not-ours.db'), 'no manifest');

  it('lists the snapshots that have a manifest, oldest first', () => {
    const r = lifeboat(['snapshots', 'list', dir, '--cluster', 'prod']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split('  ')[0])).toEqual(names);
  });

  it('verify says which one is corrupted and exits 2', () => {
    const bad = snapshot(dir, 'qa', '2026-12-03T11:00:00.000Z', { corrupt: true });
    const r = lifeboat(['snapshots', 'verify', dir, '--cluster', 'qa']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^FAILED  ${bad}: sha256 [0-9a-f]{64} differs from the manifest's`));
    // a prune that would leave only a snapshot that does not verify removes nothing
    snapshot(dir, 'qa', '2026-12-01T11:00:00.000Z');
    const p = lifeboat(['snapshots', 'prune', dir, '--cluster', 'qa', '--retain', '1', '--yes']);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain(`the newest snapshot kept (${join(dir, bad)}) does not verify`);
    expect(readdirSync(dir).filter((f) => f.startsWith('qa-'))).toHaveLength(4);
    expect(lifeboat(['snapshots', 'verify', dir, '--cluster', 'prod']).code).toBe(0);
  });

  it('prune shows first, removes with --yes: the newest N plus one a day; only this cluster, only with manifests', () => {
    const dry = lifeboat(['snapshots', 'prune', dir, '--cluster', 'prod', '--retain', '1', '--keep-daily', '2']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`keep    ${names[1]}\nkeep    ${names[3]}\nremove  ${names[0]}\nremove  ${names[2]}\nnothing removed yet: add --yes\n`);
    expect(names.every((n) => existsSync(join(dir, n)))).toBe(true);
    const r = lifeboat(['snapshots', 'prune', dir, '--cluster', 'prod', '--retain', '1', '--keep-daily', '2', '--yes']);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('prod-')).sort()).toEqual([names[1], names[3]].flatMap((n) => [n, n?.replace(/\.db$/, '.json')]).sort());
    expect(existsSync(join(dir, other))).toBe(true);
    expect(existsSync(join(dir, 'not-ours.db'))).toBe(true);
    expect(lifeboat(['snapshots', 'prune', dir, '--retain', '1']).stderr).toContain('prune needs --cluster NAME');
  });
});
