import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/connection/ssh-connection.js';
import { LifeboatError } from '../../src/errors.js';
import { type Bench, eventually, sshdSkipReason, startBench } from './setup.js';

const skip = sshdSkipReason();
if (skip) console.warn(`connection exec tests skipped: ${skip}`);

describe.skipIf(skip)('exec over a real sshd', () => {
  let b: Bench;
  let c: SshConnection;
  beforeAll(async () => {
    b = await startBench();
    c = new SshConnection(b.spec());
    await c.connect();
  });
  afterAll(async () => {
    await c?.close();
    await b?.cleanup();
  });

  /** Is a process whose command line contains `text` running? (pattern trick: not matching pgrep's shell) */
  const running = async (text: string) => {
    const pattern = `[${text[0]}]${text.slice(1)}`;
    return (await c.exec(`pgrep -f '${pattern}' >/dev/null && echo yes || echo no`)).stdout.trim() === 'yes';
  };

  it('returns rc, stdout and stderr apart', async () => {
    const r = await c.exec('echo out; echo err >&2; exit 7');
    expect(r).toMatchObject({ rc: 7, stdout: 'out\n', stderr: 'err\n' });
    expect(r.signal).toBeUndefined();
  });

  it('feeds stdin, and commands without stdin get EOF', async () => {
    expect((await c.exec('wc -c', { stdin: Buffer.alloc(100_000, 120) })).stdout.trim()).toBe('100000');
    expect((await c.exec('cat; echo done')).stdout).toBe('done\n');
  });

  it('exports env values as single words: shell syntax in them is never run', async () => {
    const env = { X: '; rm -rf / #', Y: `it's "q" $HOME \`id\` $(id)`, Z: '' };
    const r = await c.exec('printf "%s|%s|%s" "$X" "$Y" "$Z"; test -d /etc && echo /etc-still-there', { env });
    expect(r.stdout).toBe(`${env.X}|${env.Y}|/etc-still-there\n`);
    await expect(c.exec('true', { env: { 'A;B': 'x' } })).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('streams output to callbacks as it arrives', async () => {
    const seen: string[] = [];
    const r = await c.exec('echo a; sleep 0.2; echo b; echo e >&2', {
      onStdout: (chunk) => seen.push(`o:${chunk}`),
      onStderr: (chunk) => seen.push(`e:${chunk}`),
    });
    expect(seen.filter((s) => s.startsWith('o:')).join('')).toBe('o:a\no:b\n');
    expect(seen).toContain('e:e\n');
    expect(r.stdout).toBe('a\nb\n');
  });

  it('a timeout stops the command and its children on the host', async () => {
    const r = await c.exec('sleep 31.71 & sleep 31.72; echo never', { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('TERM');
    expect(r.stdout).toBe('');
    expect(await eventually(async () => !(await running('sleep 31.71')) && !(await running('sleep 31.72')))).toBe(true);
  });

  it('a command that ignores TERM is killed (KILL) after the grace period', async () => {
    const r = await c.exec("trap '' TERM; sleep 34.51", { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(await eventually(async () => !(await running('sleep 34.51')))).toBe(true);
  });

  it('an abort signal (Ctrl-C) stops the remote command and rejects with E_INTERRUPTED', async () => {
    const ac = new AbortController();
    const p = c.exec('sleep 32.31', { signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    await expect(p).rejects.toMatchObject({ code: 'E_INTERRUPTED', host: 'target' });
    expect(await eventually(async () => !(await running('sleep 32.31')))).toBe(true);
    const pre = new AbortController();
    pre.abort();
    await expect(c.exec('echo x', { signal: pre.signal })).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
  });

  it('runs 40 commands at once on one connection although sshd allows 10 sessions', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => c.exec(`sleep 0.05; echo ${i}`)),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    expect(results.every((r) => r.rc === 0)).toBe(true);
    expect((await b.sshd.children()).length).toBe(1); // one connection
  });
});

describe.skipIf(skip)('MaxSessions: the cap is what keeps channels below the server limit', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await startBench({ maxSessions: 10 });
  });
  afterAll(async () => {
    await b?.cleanup();
  });

  it('with the cap raised above MaxSessions, channel opens fail once retries run out (control for the test above)', async () => {
    const c = new SshConnection(b.spec(), { maxChannels: 20 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.exec('sleep 3')));
    await c.close();
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(LifeboatError);
  });
});
