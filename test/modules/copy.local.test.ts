import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from './local.js';
import { runModule } from './run.js';

let dir: string;
let conn: LocalConnection;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-copy-'));
  conn = new LocalConnection('local', dir);
  await mkdir(join(dir, 'pb', 'files'), { recursive: true });
  await writeFile(join(dir, 'pb', 'files', 'a.conf'), 'alpha\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('copy on a real filesystem', () => {
  it('writes content, then a second run is no change', async () => {
    const dest = join(dir, 'x.txt');
    const r1 = await runModule('copy', { content: 'hello\n', dest, mode: '0640' }, conn);
    expect(r1.result).toMatchObject({ changed: true, dest });
    expect(r1.result.failed).toBeUndefined();
    expect(await readFile(dest, 'utf8')).toBe('hello\n');
    expect((await stat(dest)).mode & 0o777).toBe(0o640);
    const r2 = await runModule('copy', { content: 'hello\n', dest, mode: '0640' }, conn);
    expect(r2.op.steps).toEqual([]);
    expect(r2.result.changed).toBe(false);
    const r3 = await runModule('copy', { content: 'hello\n', dest, mode: '0600' }, conn);
    expect(r3.result.changed).toBe(true);
    expect((await stat(dest)).mode & 0o777).toBe(0o600);
  });

  it('copies a file from the playbook files/ dir with a diff and a backup', async () => {
    const dest = join(dir, 'a.conf');
    await writeFile(dest, 'old\n');
    const r = await runModule('copy', { src: 'a.conf', dest, backup: true }, conn, { playbookDir: join(dir, 'pb') });
    expect(r.op.diff).toEqual([{ path: dest, before: 'old\n', after: 'alpha\n' }]);
    expect(r.result.changed).toBe(true);
    expect(await readFile(dest, 'utf8')).toBe('alpha\n');
    expect(typeof r.result.backup_file).toBe('string');
    expect(await readFile(r.result.backup_file as string, 'utf8')).toBe('old\n');
  });

  it('copies a directory tree: only missing or different files, then no change', async () => {
    const tree = join(dir, 'pb', 'files', 'pki');
    await mkdir(join(tree, 'etcd'), { recursive: true });
    await writeFile(join(tree, 'ca.crt'), 'CA\n');
    await writeFile(join(tree, 'etcd', 'peer.crt'), 'PEER\n');
    const dest = join(dir, 'kube');
    const r1 = await runModule('copy', { src: 'pki', dest, mode: '0600', directory_mode: '0700' }, conn, {
      playbookDir: join(dir, 'pb'),
    });
    expect(r1.result.failed).toBeUndefined();
    expect(r1.op.steps.map((s) => s.kind)).toEqual(['exec', 'put', 'put']);
    expect(await readFile(join(dest, 'pki', 'etcd', 'peer.crt'), 'utf8')).toBe('PEER\n');
    expect((await stat(join(dest, 'pki', 'etcd'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dest, 'pki', 'ca.crt'))).mode & 0o777).toBe(0o600);
    const r2 = await runModule('copy', { src: 'pki/', dest: join(dest, 'pki'), mode: '0600' }, conn, {
      playbookDir: join(dir, 'pb'),
    });
    expect(r2.op.steps).toEqual([]);
    await writeFile(join(tree, 'ca.crt'), 'CA2\n');
    const r3 = await runModule('copy', { src: 'pki/', dest: join(dest, 'pki'), mode: '0600' }, conn, {
      playbookDir: join(dir, 'pb'),
    });
    expect(r3.op.steps).toEqual([expect.objectContaining({ kind: 'put', dest: join(dest, 'pki', 'ca.crt') })]);
    expect(await readFile(join(dest, 'pki', 'ca.crt'), 'utf8')).toBe('CA2\n');
  });

  it('fails clearly when the parent directory is missing', async () => {
    const r = await runModule('copy', { content: 'x', dest: join(dir, 'nope', 'x') }, conn);
    expect(r.result.failed).toBe(true);
    expect(r.result.msg).toContain('does not exist');
  });
});
