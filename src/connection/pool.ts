import { JumpHosts } from './jump-hosts.js';
import { LocalConnection } from './local-connection.js';
import type { Connection, ConnectionSpec } from './types.js';

export interface ConnectionPoolOptions {
  specFor: (host: string) => ConnectionSpec;
  /** Channels open at once per host (below sshd's MaxSessions, 10). Default 8. */
  maxChannelsPerHost?: number;
  onWarning?: (msg: string) => void;
}

export interface ConnectionPool {
  /** The host's connection: opened on first use, then shared (concurrent gets share one connect). */
  get(host: string): Promise<Connection>;
  closeAll(): Promise<void>;
}

export function createConnectionPool(opts: ConnectionPoolOptions): ConnectionPool {
  const conns = new Map<string, Promise<Connection>>();
  // Targets behind the same bastion share one connection to it.
  const jumps = new JumpHosts();

  const open = async (host: string): Promise<Connection> => {
    const spec = opts.specFor(host);
    if (spec.kind === 'local') return new LocalConnection(spec);
    // ssh2 is loaded only when a host is contacted over SSH (a local run never loads it).
    const { SshConnection } = await import('./ssh-connection.js');
    const c = new SshConnection(spec, {
      ...(opts.maxChannelsPerHost !== undefined ? { maxChannels: opts.maxChannelsPerHost } : {}),
      ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
      jumps,
    });
    await c.connect();
    return c;
  };

  return {
    get(host) {
      let p = conns.get(host);
      if (!p) {
        p = open(host);
        conns.set(host, p);
        // A failed connect is not cached: a later get tries again.
        p.catch(() => {
          if (conns.get(host) === p) conns.delete(host);
        });
      }
      return p;
    },
    async closeAll() {
      const all = [...conns.values()];
      conns.clear();
      await Promise.all(all.map((p) => p.then((c) => c.close(), () => undefined)));
    },
  };
}
