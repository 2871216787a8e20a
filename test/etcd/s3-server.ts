/**
 * An S3-compatible server for tests: s3rver (a devDependency), in this process on a free loopback port, its
 * objects in a temporary directory. It knows one access key (S3RVER; it does not check V4 signatures, so a wrong
 * secret passes), and supports multipart uploads, path-style addressing and streamed GETs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { S3Options } from '../../src/modules/etcd/s3-store.js';

export interface TestS3 {
  endpoint: string;
  /** Where s3rver keeps the objects (BUCKET/KEY._S3rver_object …), to damage one behind the server's back. */
  dir: string;
  options: S3Options;
  /** Inventory / -e variables for the playbooks. */
  vars: Record<string, unknown>;
  /** Called with `METHOD URL` of every request the server receives. */
  onRequest?: ((line: string) => void) | undefined;
  stop(): Promise<void>;
}

/** `address`: where it listens (a lab bridge's controller address, 10.251.ID.1, for lab hosts to reach it). */
export async function startS3(bucket = 'lifeboat-backups', address = '127.0.0.1'): Promise<TestS3> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-s3-'));
  const server = new S3rver({ port: 0, address, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://${address}:${port}`;
  const options: S3Options = { endpoint, region: 'us-east-1', path_style: true, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', request_timeout: 30, max_attempts: 2, part_size_mib: 5 };
  const vars = {
    etcd_backup_s3_endpoint: endpoint,
    etcd_backup_s3_path_style: true,
    etcd_backup_s3_access_key_id: 'S3RVER',
    etcd_backup_s3_secret_access_key: 'S3RVER',
    etcd_backup_s3_request_timeout: 30,
    etcd_backup_s3_max_attempts: 2,
  };
  const t: TestS3 = {
    endpoint,
    dir,
    options,
    vars,
    async stop() {
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  server.httpServer?.prependListener('request', (req) => t.onRequest?.(`${req.method} ${req.url}`));
  return t;
}
