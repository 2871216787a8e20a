import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalConnection } from './local-connection.js';
import { connectionSpecFor } from './spec.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-local-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const c = new LocalConnection(connectionSpecFor('localhost', {}, { sshConfigFile: join(dir, 'none') }));

function running(text: string): boolean {
  try {
    execFileSync('pgrep', ['-f', `[${text[0]}]${text.slice(1)}`]);
    return true;
  } catch {
    return false;
  }
}

async function gone(text: string): Promise<boolean> {
  for (let i = 0; i < 60; i++) {
    if (!running(text)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('local connection (/bin/sh on the controller)', () => {
  it('is chosen for localhost and runs as the current user', async () => {
    expect(c.spec.kind).toBe('local');
    const r = await c.exec('id -un; echo err >&2; exit 4');
    expect(r).toMatchObject({ rc: 4, stdout: `${userInfo().username}\n`, stderr: 'err\n' });
  });

  it('passes stdin and env (values stay single words)', async () => {
    expect((await c.exec('tr a-z A-Z', { stdin: 'abc' })).stdout).toBe('ABC');
    const v = "x'; echo INJECTED; '";
    expect((await c.exec('printf %s "$V"', { env: { V: v } })).stdout).toBe(v);
  });

  it('a timeout stops the command and its children', async () => {
    const r = await c.exec('sleep 33.11 & sleep 33.12', { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('TERM');
    expect(await gone('sleep 33.11')).toBe(true);
    expect(await gone('sleep 33.12')).toBe(true);
  });

  it('a command that ignores TERM is killed after the grace period', async () => {
    const r = await c.exec("trap '' TERM; sleep 33.31", { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(await gone('sleep 33.31')).toBe(true);
  });

  it('abort rejects with E_INTERRUPTED and stops the command', async () => {
    const ac = new AbortController();
    const p = c.exec('sleep 33.21', { signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await expect(p).rejects.toMatchObject({ code: 'E_INTERRUPTED', host: 'localhost' });
    expect(await gone('sleep 33.21')).toBe(true);
  });

  it('put writes path, buffer or stream sources with a mode, atomically; get copies back', async () => {
    const src = join(dir, 'src.txt');
    writeFileSync(src, 'from a file\n');
    await c.put(src, join(dir, 'a'), { mode: 0o600 });
    await c.put(Buffer.from('buf\n'), join(dir, 'b'));
    await c.put(Readable.from(['s1', 's2']), join(dir, 'c'), { mode: 0o640 });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('from a file\n');
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('buf\n');
    expect(statSync(join(dir, 'c')).mode & 0o777).toBe(0o640);
    await c.get(join(dir, 'c'), join(dir, 'c.back'));
    expect(readFileSync(join(dir, 'c.back'), 'utf8')).toBe('s1s2');
    const failing = new Readable({
      read() {
        this.destroy(new Error('broken source'));
      },
    });
    await expect(c.put(failing, join(dir, 'b'))).rejects.toMatchObject({ code: 'E_TASK' });
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('buf\n');
    expect(execFileSync('ls', ['-A', dir]).toString().includes('lifeboat-')).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0)('put with owner by name (root only)', async () => {
    await c.put(Buffer.from('x'), join(dir, 'owned'), { owner: 'nobody', group: 'nogroup' });
    const r = await c.exec(`stat -c '%U %G' ${join(dir, 'owned')}`);
    expect(r.stdout).toBe('nobody nogroup\n');
  });
});
