import { JumpHosts } from './jump-hosts.js';
import { LocalConnection } from './local-connection.js';
import type { Vars } from '../inventory/types.js';
import type { Connection, ConnectionSpec } from './types.js';

export interface ConnectionPoolOptions {
  /**
   * The host's connection spec. `vars`: the variables of the task that first needs the host (every layer:
   * groups, hostvars, role vars, facts), for rendering the `ansible_*` connection variables in; absent when
   * the caller has none (the spec is then made from the inventory and `-e` alone).
   */
  specFor: (host: string, vars?: Vars) => ConnectionSpec;
  /** Channels open at once per host (below sshd's MaxSessions, 10). Default 8. */
  maxChannelsPerHost?: number;
  onWarning?: (msg: string) => void;
}

export interface ConnectionPool {
  /**
   * The host's connection: opened on first use, then shared (concurrent gets share one connect), one per
   * host and login user (`ansible_user` / `ansible_ssh_user` as written in `vars`). `vars` is the context its
   * connection variables are rendered in, used by the get that opens it.
   */
  get(host: string, vars?: Vars): Promise<Connection>;
  closeAll(): Promise<void>;
}

export function createConnectionPool(opts: ConnectionPoolOptions): ConnectionPool {
  const conns = new Map<string, Promise<Connection>>();
  // Targets behind the same bastion share one connection to it.
  const jumps = new JumpHosts();

  const open = async (host: string, vars: Vars | undefined): Promise<Connection> => {
    const spec = opts.specFor(host, vars);
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
    get(host, vars) {
      // One connection per host and login user: a task with another `ansible_user` (a play's or task's
      // `remote_user`) gets its own.
      const key = `${host}\u0000${loginUserKey(vars)}`;
      let p = conns.get(key);
      if (!p) {
        p = open(host, vars);
        conns.set(key, p);
        // A failed connect is not cached: a later get tries again.
        p.catch(() => {
          if (conns.get(key) === p) conns.delete(key);
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

/** The login user the variables ask for, as written (a template stays a template): part of the pool's key. */
function loginUserKey(vars: Vars | undefined): string {
  const u = vars?.ansible_user ?? vars?.ansible_ssh_user;
  return u === undefined || u === null ? '' : String(u);
}
