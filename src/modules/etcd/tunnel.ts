import { type AddressInfo, createServer, type Socket } from 'node:net';
import type { Connection } from '../../connection/types.js';
import { LifeboatError } from '../../errors.js';

/**
 * A local port that leads, through the member's own SSH connection (a direct-tcpip channel per TCP connection),
 * to its client URL as the member's host sees it: the controller talks to etcd with no etcd tool on the node and
 * no port opened to the controller. Closed (every socket and channel) by `close()`.
 */
export interface Tunnel {
  /** The client URL to use instead of the member's (same scheme, 127.0.0.1 and the local port). */
  url: string;
  close(): Promise<void>;
}

export async function openTunnel(conn: Connection, clientUrl: string): Promise<Tunnel> {
  const forward = conn.forward?.bind(conn);
  if (!forward) throw new LifeboatError('E_CONNECT', `${conn.host}: this connection cannot open tunnels`, { host: conn.host });
  const target = new URL(clientUrl);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const address = target.hostname.replace(/^\[|\]$/g, '');
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    forward(address, port).then(
      (ch) => {
        if (sock.destroyed) return void ch.destroy();
        sock.pipe(ch).pipe(sock);
        ch.on('error', () => sock.destroy());
        ch.on('close', () => sock.destroy());
        sock.on('error', () => ch.destroy());
        sock.on('close', () => ch.destroy());
      },
      () => sock.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const local = (server.address() as AddressInfo).port;
  return {
    url: `${target.protocol}//127.0.0.1:${local}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
