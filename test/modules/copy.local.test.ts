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

  it('fails clearly when the parent directory is missing', async () => {
    const r = await runModule('copy', { content: 'x', dest: join(dir, 'nope', 'x') }, conn);
    expect(r.result.failed).toBe(true);
    expect(r.result.msg).toContain('does not exist');
  });
});
