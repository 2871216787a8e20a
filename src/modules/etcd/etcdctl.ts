import { shellJoin } from '../../connection/quote.js';
import type { EtcdTls } from './types.js';

/**
 * Online etcdctl commands (v3 API) against explicit endpoints, with the node's TLS files.
 * Every value is quoted by shellJoin.
 */
export interface CtlTarget {
  etcdctl: string;
  endpoints: string[];
  tls: EtcdTls;
  /** `--command-timeout`, e.g. "30s". */
  commandTimeout?: string;
  dialTimeout?: string;
}

export function ctlArgv(t: CtlTarget, args: string[]): string[] {
  const argv = ['env', 'ETCDCTL_API=3', t.etcdctl, `--endpoints=${t.endpoints.join(',')}`];
  if (t.tls.ca_file) argv.push(`--cacert=${t.tls.ca_file}`);
  if (t.tls.cert_file) argv.push(`--cert=${t.tls.cert_file}`);
  if (t.tls.key_file) argv.push(`--key=${t.tls.key_file}`);
  argv.push(`--dial-timeout=${t.dialTimeout ?? '3s'}`);
  argv.push(`--command-timeout=${t.commandTimeout ?? '10s'}`);
  return [...argv, ...args];
}

export function ctlCmd(t: CtlTarget, args: string[]): string {
  return shellJoin(ctlArgv(t, args));
}

/**
 * etcd prints member and cluster IDs as JSON numbers beyond 2^53; JSON.parse would round them.
 * This quotes every bare integer of 16 or more digits before parsing, so IDs stay exact (as decimal strings).
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text.replace(/([:[,]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}

/** A decimal or numeric ID as etcd's 16-digit hex form (`8e9e05c52164694d`). */
export function idHex(id: unknown): string {
  if (typeof id === 'string' && /^\d+$/.test(id)) return BigInt(id).toString(16).padStart(16, '0');
  if (typeof id === 'number') return BigInt(id).toString(16).padStart(16, '0');
  return String(id ?? '');
}
