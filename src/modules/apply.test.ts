import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../test/modules/fake.js';
import { LifeboatError } from '../errors.js';
import { SecretSet } from '../secrets.js';
import { applyOperation, defaultResult } from './apply.js';
import type { Operation } from './types.js';

describe('applyOperation', () => {
  it('runs exec, put and get in order and reports the last exec', async () => {
    const conn = new FakeConnection('h1').on('echo two', {
      stdout: 'two\nlines\n',
    });
    const op: Operation = {
      changed: true,
      steps: [
        { kind: 'exec', cmd: 'echo one' },
        { kind: 'put', dest: '/tmp/x', content: 'hello', mode: 0o640 },
        { kind: 'get', src: '/tmp/x', dest: '/local/x' },
        { kind: 'exec', cmd: 'echo two', become: false },
      ],
    };
    const r = await applyOperation(op, conn, { secrets: new SecretSet(),
      become: true,
      becomeUser: 'etcd',
    });
    expect(conn.calls.map((c) => c.kind)).toEqual(['exec', 'put', 'get', 'exec']);
    expect(conn.calls[0]?.opts).toMatchObject({
      become: true,
      becomeUser: 'etcd',
    });
    expect(conn.calls[3]?.opts).toMatchObject({ become: false });
    expect(conn.calls[1]).toMatchObject({
      dest: '/tmp/x',
      content: 'hello',
      opts: { mode: 0o640, become: true },
    });
    expect(r).toMatchObject({
      changed: true,
      rc: 0,
      stdout: 'two\nlines\n',
      stdout_lines: ['two', 'lines'],
    });
    expect(r.failed).toBeUndefined();
  });

  it('stops at the first failed step and names it', async () => {
    const conn = new FakeConnection().on('false', { rc: 3, stderr: 'boom\n' });
    const op: Operation = {
      changed: true,
      steps: [
        { kind: 'exec', cmd: 'false', description: 'stop etcd' },
        { kind: 'exec', cmd: 'never' },
      ],
    };
    const r = await applyOperation(op, conn, { secrets: new SecretSet(), become: false });
    expect(conn.execs).toEqual(['false']);
    expect(r.failed).toBe(true);
    expect(r.rc).toBe(3);
    expect(r.msg).toContain('stop etcd');
    expect(r.msg).toContain('exit code 3');
    expect(r.msg).toContain('boom');
  });

  it('accepts okRc and treats a signal as failure', async () => {
    const conn = new FakeConnection().on('grep', { rc: 1 }).on('sleep', { rc: -1, signal: 'TERM' });
    const ok = await applyOperation({ changed: true, steps: [{ kind: 'exec', cmd: 'grep x', okRc: [0, 1] }] }, conn, { secrets: new SecretSet(),
      become: false,
    });
    expect(ok.failed).toBeUndefined();
    const killed = await applyOperation({ changed: true, steps: [{ kind: 'exec', cmd: 'sleep 9' }] }, conn, { secrets: new SecretSet(),
      become: false,
    });
    expect(killed.failed).toBe(true);
    expect(killed.msg).toContain('killed by TERM');
  });

  it('no steps means no change; op.changed=false keeps changed false', async () => {
    const conn = new FakeConnection();
    expect(
      (
        await applyOperation({ changed: false, steps: [] }, conn, { secrets: new SecretSet(),
          become: false,
        })
      ).changed,
    ).toBe(false);
    const r = await applyOperation({ changed: false, steps: [{ kind: 'exec', cmd: 'true' }] }, conn, { secrets: new SecretSet(), become: false });
    expect(r.changed).toBe(false);
    expect(defaultResult({ changed: false, steps: [], result: { msg: 'hi' } }, [])).toEqual({
      changed: false,
      msg: 'hi',
    });
  });

  it('uses finish when given', async () => {
    const conn = new FakeConnection().on('cat', { stdout: 'x' });
    const r = await applyOperation(
      {
        changed: 'unknown',
        steps: [{ kind: 'exec', cmd: 'cat' }],
        finish: (o) => ({ changed: false, n: o.length }),
      },
      conn,
      { secrets: new SecretSet(), become: false },
    );
    expect(r).toEqual({ changed: false, n: 1 });
  });

  it('masks step secrets in results and live output, and merges env', async () => {
    const conn = new FakeConnection().on('login', {
      stdout: 'token=s3cr3t ok',
      stderr: 'bad s3cr3t',
    });
    const live: string[] = [];
    const r = await applyOperation(
      {
        changed: true,
        steps: [
          {
            kind: 'exec',
            cmd: 'login s3cr3t',
            secrets: ['s3cr3t'],
            env: { B: '2' },
            okRc: [1],
          },
        ],
      },
      conn,
      { secrets: new SecretSet(),
        become: false,
        env: { A: '1', B: '1' },
        onOutput: (_s, t) => live.push(t),
      },
    );
    expect(conn.calls[0]?.opts).toMatchObject({ env: { A: '1', B: '2' } });
    expect(JSON.stringify(r)).not.toContain('s3cr3t');
    expect(live.join('')).not.toContain('s3cr3t');
    expect(r.msg).toContain('********');
  });

  it('turns a put error into a failed step but rethrows connection errors', async () => {
    const conn = new FakeConnection();
    conn.putError = new Error('permission denied');
    const r = await applyOperation({ changed: true, steps: [{ kind: 'put', dest: '/etc/x', content: '' }] }, conn, { secrets: new SecretSet(),
      become: false,
    });
    expect(r.failed).toBe(true);
    expect(r.msg).toContain('put /etc/x: permission denied');
    conn.putError = new LifeboatError('E_UNREACHABLE', 'gone');
    await expect(
      applyOperation({ changed: true, steps: [{ kind: 'put', dest: '/x', content: '' }] }, conn, { secrets: new SecretSet(), become: false }),
    ).rejects.toMatchObject({ code: 'E_UNREACHABLE' });
  });

  it('refuses to start a step after abort', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      applyOperation({ changed: true, steps: [{ kind: 'exec', cmd: 'true' }] }, new FakeConnection(), { secrets: new SecretSet(),
        become: false,
        signal: ac.signal,
      }),
    ).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
  });
});
