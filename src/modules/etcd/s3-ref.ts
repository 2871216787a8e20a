/**
 * The S3 store's settings and URL (`s3://BUCKET/PREFIX`), apart from its client: checking a URL before anything
 * runs must not load the AWS SDK (a megabyte and a half of code every `lifeboat run` would pay for at start).
 */
import { LifeboatError } from '../../errors.js';

export interface S3Options {
  /** The S3 API's URL (MinIO, Ceph RGW, Garage, …); empty: AWS's endpoint for the region. */
  endpoint?: string;
  region?: string;
  /** Path-style addressing (`ENDPOINT/BUCKET/KEY`), which most self-hosted servers need. */
  path_style?: boolean;
  /** Both or neither: without them, the standard AWS chain (environment, shared config and credentials, SSO, IMDS). */
  access_key_id?: string;
  secret_access_key?: string;
  /** Seconds one request may take before it is abandoned and retried (default 300). */
  request_timeout?: number;
  /** Attempts per request, the first included (default 5; retries back off). */
  max_attempts?: number;
  /** Multipart part size in MiB (default 16; S3's minimum is 5). */
  part_size_mib?: number;
}

export interface S3Ref {
  bucket: string;
  prefix: string;
  url: string;
}

export function parseS3(url: string): S3Ref {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*?))?\/*$/.exec(url);
  if (!m?.[1]) throw new LifeboatError('E_MODULE', `etcd_backup_store "${url}" is not s3://BUCKET/PREFIX`, { hint: 'e.g. etcd_backup_store=s3://backups/etcd/prod (a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens)' });
  return { bucket: m[1], prefix: m[2] ?? '', url };
}
