import { lstat, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from './local.js';
import { runModule } from './run.js';

let dir: string;
let conn: LocalConnection;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-basic-'));
  conn = new LocalConnection('local', dir);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('command / shell on a real shell', () => {
  it('command keeps shell syntax literal', async () => {
    const { result } = await runModule('command', { _raw_params: "echo '; rm -rf /' $HOME *" }, conn);
    expect(result.stdout).toBe(`; rm -rf / ${process.env.HOME} *`);
    expect(result.rc).toBe(0);
    expect(result.cmd).toEqual(['echo', '; rm -rf /', '$HOME', '*']);
  });
  it('command fails on non-zero rc; creates skips', async () => {
    const r = await runModule('command', { argv: ['sh', '-c', 'echo out; echo err >&2; exit 4'] }, conn);
    expect(r.result).toMatchObject({
      failed: true,
      rc: 4,
      stdout: 'out',
      stderr: 'err',
      msg: 'non-zero return code',
    });
    await writeFile(join(dir, 'made'), '');
    const s = await runModule('command', { _raw_params: 'touch x creates=made', chdir: dir }, conn);
    expect(s.op.steps).toEqual([]);
    expect(s.result).toMatchObject({
      changed: false,
      stdout: 'skipped, since made exists',
    });
  });
  it('shell runs pipes with chdir and stdin', async () => {
    const r = await runModule('shell', { cmd: 'pwd; tr a-z A-Z', chdir: dir, stdin: 'abc' }, conn);
    expect(r.result.stdout_lines).toEqual([dir, 'ABC']);
    expect(r.result.changed).toBe(true);
  });
});

describe('file / stat on a real filesystem', () => {
  it('creates a directory once, then no change; sets mode', async () => {
    const p = join(dir, 'd1', 'd2');
    const r1 = await runModule('file', { path: p, state: 'directory', mode: '0750' }, conn);
    expect(r1.result.changed).toBe(true);
    expect((await stat(p)).mode & 0o7777).toBe(0o750);
    const r2 = await runModule('file', { path: p, state: 'directory', mode: '0750' }, conn);
    expect(r2.op.steps).toEqual([]);
    expect(r2.result.changed).toBe(false);
  });
  it('recursive symbolic modes: applied once, then no change', async () => {
    const p = join(dir, 'tree');
    await runModule('file', { path: join(p, 'sub'), state: 'directory', mode: '0700' }, conn);
    await writeFile(join(p, 'sub', 'f'), 'x', { mode: 0o600 });
    const args = { path: p, state: 'directory', mode: 'go+rX', recurse: true };
    expect((await runModule('file', args, conn)).result.changed).toBe(true);
    expect((await stat(join(p, 'sub'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(p, 'sub', 'f'))).mode & 0o777).toBe(0o644);
    expect((await runModule('file', args, conn)).op.steps).toEqual([]);
  });
  it('links, touches, removes', async () => {
    const l = join(dir, 'lnk');
    expect((await runModule('file', { path: l, state: 'link', src: '/etc/hostname' }, conn)).result.changed).toBe(true);
    expect(await readlink(l)).toBe('/etc/hostname');
    expect((await runModule('file', { path: l, state: 'link', src: '/etc/hostname' }, conn)).result.changed).toBe(
      false,
    );
    const t = join(dir, 'touched');
    expect((await runModule('file', { path: t, state: 'touch', mode: 'u=rw,go=' }, conn)).result.changed).toBe(true);
    expect((await lstat(t)).mode & 0o777).toBe(0o600);
    const rm1 = await runModule('file', { path: t, state: 'absent' }, conn);
    expect(rm1.op.steps[0]).toMatchObject({
      destructive: expect.stringContaining('deletes'),
    });
    await expect(lstat(t)).rejects.toThrow();
    expect((await runModule('file', { path: t, state: 'absent' }, conn)).result.changed).toBe(false);
    const f = await runModule('file', { path: t, state: 'file' }, conn);
    expect(f.result).toMatchObject({ failed: true });
  });
  it('stat reports checksums as Ansible', async () => {
    const p = join(dir, 'hello');
    await writeFile(p, 'hello\n', { mode: 0o640 });
    const { result, op } = await runModule('stat', { path: p }, conn);
    expect(op.steps).toEqual([]);
    expect(result.stat).toMatchObject({
      exists: true,
      isreg: true,
      isdir: false,
      size: 6,
      mode: '0640',
      pw_name: 'root',
      checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f',
      sha256: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
    });
    expect((await runModule('stat', { path: join(dir, 'none') }, conn)).result.stat).toEqual({
      path: join(dir, 'none'),
      exists: false,
    });
    expect(await readFile(p, 'utf8')).toBe('hello\n');
  });
});
