import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCommand, envPrefix, needsSudo } from './command.js';
import { Semaphore } from './semaphore.js';

/** Runs a built command line with the real /bin/sh (as sshd's login shell would). */
function sh(line: string, input = ''): string {
  return execFileSync('/bin/sh', ['-c', line], { input }).toString();
}

describe('command lines', () => {
  it('exports env values quoted, so shell syntax in them stays data', () => {
    expect(envPrefix({ A: 'plain', B: "it's; rm -rf /" })).toBe(`export A=plain B='it'\\''s; rm -rf /'; `);
    const line = buildCommand('printf "%s" "$B"', { loginUser: 'root', env: { B: '$(echo hi) `id` ; x' } }).line;
    expect(sh(line)).toBe('$(echo hi) `id` ; x');
    expect(() => envPrefix({ 'A B': 'x' })).toThrow(/invalid environment variable name/);
  });

  it('keeps the command stdin working through the wrapper, and its exit code', () => {
    const line = buildCommand('cat; exit 3', { loginUser: 'root' }).line;
    let out = '';
    let status = 0;
    try {
      out = sh(line, 'piped');
    } catch (e) {
      const x = e as { status: number; stdout: Buffer };
      status = x.status;
      out = x.stdout.toString();
    }
    expect(out).toBe('piped');
    expect(status).toBe(3);
  });

  it('reports the process group leader pid first on stderr when asked', () => {
    const line = buildCommand('echo $$ >/dev/null', { loginUser: 'root', reportPid: true }).line;
    const r = execFileSync('/bin/sh', ['-c', `${line} 2>&1 1>/dev/null`]).toString();
    expect(r).toMatch(/^LBPID \d+\n$/);
  });

  it('uses sudo only when it is needed, with a random prompt and marker, never a password', () => {
    expect(needsSudo({ loginUser: 'root', become: true })).toBe(false);
    expect(needsSudo({ loginUser: 'root', become: true, becomeUser: 'etcd' })).toBe(true);
    expect(needsSudo({ loginUser: 'ops', become: true })).toBe(true);
    expect(needsSudo({ loginUser: 'ops', become: false })).toBe(false);
    const a = buildCommand('id', { loginUser: 'ops', become: true, becomeUser: 'etcd' });
    const b = buildCommand('id', { loginUser: 'ops', become: true, becomeUser: 'etcd' });
    expect(a.become?.prompt).not.toBe(b.become?.prompt);
    expect(a.line).toContain('sudo -S -p');
    expect(a.line).toContain(a.become?.prompt ?? 'missing');
    expect(a.line).toContain(' -u etcd -H ');
    expect(buildCommand('id', { loginUser: 'root', become: true }).become).toBeUndefined();
  });
});

describe('Semaphore', () => {
  it('lets at most `limit` run at once, the rest in order', async () => {
    const s = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: Array<() => void> = [];
    const jobs = [0, 1, 2, 3, 4].map((i) =>
      s.run(async () => {
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await new Promise<void>((r) => gates.push(r));
        active--;
      }),
    );
    for (let k = 0; k < 5; k++) {
      await new Promise((r) => setImmediate(r));
      expect(s.inUse).toBeLessThanOrEqual(2);
      gates.shift()?.();
    }
    await Promise.all(jobs);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(s.inUse).toBe(0);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
