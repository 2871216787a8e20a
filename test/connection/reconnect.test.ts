import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionPool } from '../../src/connection/pool.js';
import { SshConnection } from '../../src/connection/ssh-connection.js';
import { LifeboatError } from '../../src/errors.js';
import { type Bench, eventually, sshdSkipReason, startBench } from './setup.js';

const skip = sshdSkipReason();
if (skip) console.warn(`connection reconnect tests skipped: ${skip}`);

/** Kills the sshd processes serving our connections (as a crash or a network cut would). */
async function killServing(b: Bench): Promise<void> {
  const kids = await b.sshd.children();
  expect(kids.length).toBeGreaterThan(0);
  for (const pid of kids) process.kill(pid, 'SIGKILL');
}

describe.skipIf(skip)('dropped connections against a real sshd', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await startBench();
  });
  afterAll(async () => {
    await b?.cleanup();
  });

  it('a connection dropped between tasks is reopened once by the next exec', async () => {
    const warnings: string[] = [];
    const c = new SshConnection(b.spec(), { onWarning: (m) => warnings.push(m) });
    try {
      expect((await c.exec('echo one')).stdout).toBe('one\n');
      const before = await b.sshd.children();
      await killServing(b);
      expect(await eventually(async () => (await b.sshd.children()).every((p) => !before.includes(p)))).toBe(true);
      expect((await c.exec('echo two')).stdout).toBe('two\n');
      expect(warnings.some((w) => w.startsWith('reconnected to target'))).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('a command running when the connection drops fails with E_UNREACHABLE; the next one reconnects', async () => {
    const c = new SshConnection(b.spec());
    try {
      await c.connect();
      const running = c.exec('sleep 20; echo finished');
      await new Promise((r) => setTimeout(r, 300));
      await killServing(b);
      const e = await running.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(LifeboatError);
      expect(e).toMatchObject({ code: 'E_UNREACHABLE', host: 'target' });
      expect((e as LifeboatError).message).toContain(`127.0.0.1:${b.sshd.port}`);
      expect((await c.exec('echo back')).stdout).toBe('back\n');
    } finally {
      await c.close();
    }
  });
});

describe.skipIf(skip)('a host that stays down', () => {
  it('reports the host, address and reason once the one reopen fails', async () => {
    const b = await startBench();
    const c = new SshConnection(b.spec());
    try {
      expect((await c.exec('echo up')).rc).toBe(0);
      const kids = await b.sshd.children();
      await b.sshd.stop(); // the listener is gone
      for (const pid of kids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      const e = (await c.exec('echo never').then(() => undefined, (x: unknown) => x)) as LifeboatError;
      expect(e).toBeInstanceOf(LifeboatError);
      expect(e.code).toBe('E_UNREACHABLE');
      expect(e.host).toBe('target');
      expect(e.message).toContain(`127.0.0.1:${b.sshd.port}`);
      expect(e.message).toContain('ECONNREFUSED');
      expect(e.message).toContain('had dropped');
    } finally {
      await c.close();
      await b.cleanup();
    }
  });

  it('the pool shares one connect between concurrent gets, and does not cache a failed one', async () => {
    const b = await startBench();
    try {
      let port = b.sshd.port;
      const pool = createConnectionPool({ specFor: () => b.spec({ ansible_port: port }) });
      const [x, y, z] = await Promise.all([pool.get('target'), pool.get('target'), pool.get('target')]);
      expect(x).toBe(y);
      expect(y).toBe(z);
      expect((await b.sshd.children()).length).toBe(1);
      await pool.closeAll();
      expect(await eventually(async () => (await b.sshd.children()).length === 0)).toBe(true);

      const pool2 = createConnectionPool({ specFor: () => b.spec({ ansible_port: port }) });
      port = 1;
      await expect(pool2.get('target')).rejects.toMatchObject({ code: 'E_UNREACHABLE' });
      port = b.sshd.port;
      expect((await (await pool2.get('target')).exec('echo ok')).stdout).toBe('ok\n');
      await pool2.closeAll();
    } finally {
      await b.cleanup();
    }
  });
});
