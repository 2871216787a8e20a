import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionSpecFor } from '../../connection/index.js';
import { LocalConnection } from '../../connection/local-connection.js';
import { gatherFacts } from './facts.js';
import { observeMembers } from './observe.js';

/**
 * Ctrl-C reaches the fact reads: each probe below blocks on a real local command (a read of a FIFO nobody
 * writes, an etcdctl that sleeps 600 s past observe's own 60 s timeout), so it settles within the test's
 * timeout only if the abort kills it.
 */
const dir = mkdtempSync(join(tmpdir(), 'lifeboat-probe-cancel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const conn = new LocalConnection(connectionSpecFor('localhost', {}, { sshConfigFile: join(dir, 'none') }));

describe('an abort during a slow fact read', () => {
  it('stops etcd_facts (gatherFacts) reading a pid file that blocks', async () => {
    const fifo = join(dir, 'etcd.pid');
    execFileSync('mkfifo', [fifo]);
    const ac = new AbortController();
    const reading = gatherFacts({ conn, host: 'localhost', become: false, signal: ac.signal }, { pid_file: fifo });
    setTimeout(() => ac.abort(), 200);
    await expect(reading).rejects.toThrow();
  });

  it('stops observeMembers asking a member whose etcdctl hangs', async () => {
    const etcdctl = join(dir, 'etcdctl');
    writeFileSync(etcdctl, '#!/bin/sh\nsleep 600\n');
    chmodSync(etcdctl, 0o755);
    const ac = new AbortController();
    const member = { host: 'localhost', name: 'm1', peer_url: 'http://127.0.0.1:1', client_url: 'http://127.0.0.1:1', data_dir: '/x', tls: {} };
    const views = observeMembers([member], async () => conn, () => etcdctl, { become: false, signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const [view] = await views;
    expect(view?.reachable).toBe(false);
    expect(view?.error).toMatch(/interrupted|abort|signal|kill/i);
  });
});
