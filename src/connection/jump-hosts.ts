import type ssh2 from 'ssh2';

/** A hold on a shared jump-host connection; `release` is idempotent. */
export interface JumpLease {
  client: ssh2.Client;
  release(): void;
}

interface Entry {
  ready: Promise<ssh2.Client>;
  refs: number;
}

/**
 * Jump-host (ProxyJump) connections shared by every target that goes through the same chain of hops with the
 * same credentials and host-key settings, as OpenSSH's ControlMaster would share them: one bastion login for a
 * whole inventory instead of one per target (which also keeps a run under the bastion's MaxStartups).
 * A connection is opened on first use (concurrent users share one open), reference-counted, and ended when
 * its last user lets go; one that drops is forgotten, so the next user opens a new one.
 */
export class JumpHosts {
  private readonly entries = new Map<string, Entry>();

  /** How many jump-host connections are open or opening (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  async acquire(key: string, dial: () => Promise<ssh2.Client>): Promise<JumpLease> {
    let entry = this.entries.get(key);
    if (!entry) {
      const fresh: Entry = { ready: dial(), refs: 0 };
      entry = fresh;
      this.entries.set(key, fresh);
      fresh.ready.then(
        (client) => {
          client.setMaxListeners(0); // every target through this hop listens for its close
          client.once('close', () => this.forget(key, fresh));
        },
        () => this.forget(key, fresh),
      );
    }
    entry.refs += 1;
    const held = entry;
    let client: ssh2.Client;
    try {
      client = await held.ready;
    } catch (e) {
      held.refs -= 1;
      throw e;
    }
    let released = false;
    return {
      client,
      release: () => {
        if (released) return;
        released = true;
        held.refs -= 1;
        if (held.refs === 0) {
          this.forget(key, held);
          client.end();
        }
      },
    };
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
