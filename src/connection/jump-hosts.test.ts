import { EventEmitter } from 'node:events';
import type ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { JumpHosts } from './jump-hosts.js';

/** Stands in for an ssh2.Client: counts end() calls and emits 'close' on demand. */
class FakeClient extends EventEmitter {
  ended = 0;
  end(): void {
    this.ended += 1;
  }
}

function dialer() {
  const made: FakeClient[] = [];
  const dial = async () => {
    const c = new FakeClient();
    made.push(c);
    return c as unknown as ssh2.Client;
  };
  return { made, dial };
}

describe('JumpHosts', () => {
  it('opens one connection for concurrent users of a key and ends it when the last one lets go', async () => {
    const j = new JumpHosts();
    const { made, dial } = dialer();
    const [a, b, c] = await Promise.all([j.acquire('k', dial), j.acquire('k', dial), j.acquire('k', dial)]);
    expect(made).toHaveLength(1);
    expect(a?.client).toBe(made[0]);
    expect(b?.client).toBe(made[0]);
    a?.release();
    a?.release(); // idempotent: does not count twice
    b?.release();
    expect(made[0]?.ended).toBe(0);
    expect(j.size).toBe(1);
    c?.release();
    expect(made[0]?.ended).toBe(1);
    expect(j.size).toBe(0);
  });

  it('keeps other keys (other chains or credentials) apart', async () => {
    const j = new JumpHosts();
    const { made, dial } = dialer();
    await j.acquire('a', dial);
    await j.acquire('b', dial);
    expect(made).toHaveLength(2);
  });

  it('forgets a connection that closed, so the next user opens a new one', async () => {
    const j = new JumpHosts();
    const { made, dial } = dialer();
    const first = await j.acquire('k', dial);
    made[0]?.emit('close');
    const second = await j.acquire('k', dial);
    expect(made).toHaveLength(2);
    expect(second.client).toBe(made[1]);
    first.release(); // the old lease letting go does not end the new connection
    expect(made[1]?.ended).toBe(0);
  });

  it('a failed open rejects every waiting user and is not kept', async () => {
    const j = new JumpHosts();
    const boom = async (): Promise<ssh2.Client> => {
      throw new Error('refused');
    };
    const results = await Promise.allSettled([j.acquire('k', boom), j.acquire('k', boom)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(j.size).toBe(0);
    const { made, dial } = dialer();
    await j.acquire('k', dial);
    expect(made).toHaveLength(1);
  });
});
