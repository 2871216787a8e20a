import { createServer, connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../connection/local-connection.js';
import type { Connection } from '../../connection/types.js';
import { openTunnel } from './tunnel.js';

/** A real TCP server (answers "echo:<what it got>") behind a real local connection's forward(). */
describe('openTunnel', () => {
  const server = createServer((s) => s.on('data', (d) => s.end(`echo:${d.toString()}`)));
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const ask = (url: string, what: string) =>
    new Promise<string>((resolve, reject) => {
      const u = new URL(url);
      const s = connect({ host: u.hostname, port: Number(u.port) }, () => s.write(what));
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got));
      s.on('error', reject);
    });

  it('leads a local port to the target as the host sees it, one stream per connection, same scheme', async () => {
    const conn = new LocalConnection({ host: 'localhost', kind: 'local' } as never);
    const t = await openTunnel(conn, `https://127.0.0.1:${port}`);
    try {
      expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(t.url).not.toBe(`https://127.0.0.1:${port}`);
      expect(await Promise.all([ask(t.url, 'a'), ask(t.url, 'b')])).toEqual(['echo:a', 'echo:b']);
    } finally {
      await t.close();
    }
    await expect(ask(t.url, 'c')).rejects.toThrow(/ECONNREFUSED/); // closed: nothing listens any more
  });

  it('refuses a connection that cannot forward', async () => {
    const conn = { host: 'h', exec: async () => ({ rc: 0, stdout: '', stderr: '', durationMs: 0 }), put: async () => {}, get: async () => {}, close: async () => {} } satisfies Connection;
    await expect(openTunnel(conn, 'https://10.0.0.1:2379')).rejects.toThrow('h: this connection cannot open tunnels');
  });
});
