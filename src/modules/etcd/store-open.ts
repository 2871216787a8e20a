import type { Connection } from '../../connection/types.js';
import { parseS3, type S3Options } from './s3-ref.js';
import { parseStore, SftpStore, type StoreRef } from './sftp-store.js';
import type { SnapshotStore } from './store.js';

/** A store URL checked (before anything runs) and opened (when it is used). */
export type StoreSpec = { kind: 'sftp'; url: string; ref: StoreRef } | { kind: 's3'; url: string };

export function parseStoreUrl(url: string): StoreSpec | undefined {
  if (!url) return undefined;
  if (url.startsWith('s3://')) {
    parseS3(url);
    return { kind: 's3', url };
  }
  const ref = parseStore(url);
  return ref ? { kind: 'sftp', url, ref } : undefined;
}

/** The S3 settings as module args carry them (`s3:` of etcd_snapshot, etcd_preflight, etcd_drill). */
export const s3SchemaProp = {
  type: 'object',
  properties: {
    endpoint: { type: 'string' },
    region: { type: 'string' },
    path_style: { type: 'boolean' },
    access_key_id: { type: 'string' },
    secret_access_key: { type: 'string' },
    request_timeout: { type: 'integer', minimum: 1 },
    max_attempts: { type: 'integer', minimum: 1 },
    part_size_mib: { type: 'integer', minimum: 5 },
  },
  additionalProperties: false,
} as const;

export async function openStore(spec: StoreSpec, connect: (host: string) => Promise<Connection>, s3?: S3Options): Promise<SnapshotStore> {
  if (spec.kind === 's3') {
    // loaded only when an S3 store is used (the AWS SDK is most of the CLI's code)
    const { S3Store } = await import('./s3-store.js');
    return new S3Store(spec.url, s3 ?? {});
  }
  return new SftpStore(await connect(spec.ref.host), spec.ref);
}
