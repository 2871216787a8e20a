import { type ConnectionPool, connectionSpecFor, createConnectionPool } from '../../src/connection/index.js';
import type { Lab } from '../lab/index.js';

/** A real ssh2 connection pool to the lab's hosts, configured as an inventory would (ansible_* vars). */
export function labPool(lab: Lab): ConnectionPool {
  return createConnectionPool({
    specFor: (host) => {
      const h = lab.hosts.find((x) => x.name === host);
      if (!h) throw new Error(`no lab host ${host}`);
      return connectionSpecFor(
        host,
        { ansible_host: h.address, ansible_user: 'root', ansible_ssh_private_key_file: lab.clientKey },
        { sshConfigFile: lab.sshConfig },
      );
    },
  });
}
