import { LifeboatError } from '../errors.js';
import {
  fingerprintSha256,
  type KnownHostEntry,
  keyTypeOf,
  knownHostsName,
  knownKeyTypes,
  loadKnownHosts,
  recordHostKey,
  verifyHostKey,
} from './known-hosts.js';

export interface HostKeyTarget {
  /** Inventory name (for messages). */
  host: string;
  address: string;
  port: number;
  knownHostsFiles: string[];
  strict: 'yes' | 'accept-new' | 'no';
  /** Record an accepted key under a hashed name (`|1|salt|hmac`), as OpenSSH's HashKnownHosts. */
  hashNames?: boolean;
  onWarning?: (msg: string) => void;
  /** This endpoint is a ProxyJump hop on the way to `host`. */
  jump?: boolean;
}

/** ssh2's host key algorithms, in its default order. */
const HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

function algosFor(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

export interface HostKeyCheck {
  /** Host key algorithms with the ones already known for this host first (as OpenSSH orders them). */
  algorithms: string[];
  /** Resolves when the key is acceptable (recording it under accept-new); throws E_HOSTKEY otherwise. */
  check(key: Buffer): Promise<void>;
}

function where(e: KnownHostEntry): string {
  return `${e.file}:${e.line}`;
}

export async function prepareHostKeyCheck(t: HostKeyTarget): Promise<HostKeyCheck> {
  const entries = await loadKnownHosts(t.knownHostsFiles);
  const name = knownHostsName(t.address, t.port);
  const names = [name];
  const known = knownKeyTypes(entries, names).flatMap(algosFor);
  const algorithms = [...new Set([...known.filter((a) => HOST_KEY_ALGOS.includes(a)), ...HOST_KEY_ALGOS])];
  const label = t.jump ? `jump host ${name} (on the way to ${t.host})` : `${t.host} (${name})`;

  const check = async (key: Buffer): Promise<void> => {
    const fp = fingerprintSha256(key);
    const type = keyTypeOf(key);
    const v = verifyHostKey(entries, names, key);
    switch (v.kind) {
      case 'match':
        return;
      case 'revoked':
        throw new LifeboatError('E_HOSTKEY', `host key of ${label} is revoked (${type} ${fp}, ${where(v.entry)})`, {
          host: t.host,
          hint: 'the server presents a key marked @revoked; do not connect until the host has a new key',
        });
      case 'changed':
        throw new LifeboatError(
          'E_HOSTKEY',
          `host key of ${label} has CHANGED: it now presents ${type} ${fp}, but ${where(v.entry)} holds ` +
            `a different ${v.entry.keyType} key (${fingerprintSha256(v.entry.key)})`,
          {
            host: t.host,
            hint:
              `someone may be intercepting the connection, or the host was reinstalled. If the change is ` +
              `expected, remove the old key (line ${v.entry.line} of ${v.entry.file}, or ` +
              `ssh-keygen -R '${name}' -f ${v.entry.file}) and connect again`,
          },
        );
      case 'unknown':
        break;
    }
    if (t.strict === 'no') {
      t.onWarning?.(`host key of ${label} not verified (StrictHostKeyChecking=no): ${type} ${fp}`);
      return;
    }
    if (t.strict === 'accept-new') {
      const file = t.knownHostsFiles[0];
      if (!file) throw new LifeboatError('E_HOSTKEY', `no known_hosts file to record the key of ${label} in`);
      await recordHostKey(file, name, key, t.hashNames === true);
      t.onWarning?.(`permanently added ${type} key ${fp} of ${label} to ${file}`);
      return;
    }
    throw new LifeboatError('E_HOSTKEY', `host key of ${label} is unknown: ${type} ${fp}`, {
      host: t.host,
      hint:
        `check the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then run again with ` +
        `--accept-new-host-keys to record it in ${t.knownHostsFiles[0] ?? '~/.ssh/known_hosts'}`,
    });
  };
  return { algorithms, check };
}
