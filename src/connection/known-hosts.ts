import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * OpenSSH known_hosts: plain names, comma lists, `[host]:port`, wildcards (`*`, `?`, `!negation`), hashed
 * `|1|salt|hash` entries, `@revoked` (honoured: such a key is refused). `@cert-authority` lines are NOT
 * supported: they are skipped (a host only trusted through a CA is treated as unknown).
 */

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: 'revoked' | 'cert-authority';
  patterns: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  | { kind: 'match'; entry: KnownHostEntry }
  | { kind: 'revoked'; entry: KnownHostEntry }
  | { kind: 'changed'; entry: KnownHostEntry }
  | { kind: 'unknown' };

/** OpenSSH's fingerprint form: `SHA256:` + unpadded base64 of the SHA-256 of the key blob. */
export function fingerprintSha256(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written inside an SSH public key blob (first string field), e.g. `ssh-ed25519`. */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  if (len <= 0 || len > 64 || key.length < 4 + len) return 'unknown';
  return key.subarray(4, 4 + len).toString('latin1');
}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else continue;
    }
    const [patterns, keyType, b64] = fields;
    if (!patterns || !keyType || !b64) continue;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) continue;
    out.push({ file, line: i + 1, ...(marker ? { marker } : {}), patterns, keyType, key });
  }
  return out;
}

/** Glob as OpenSSH's match_pattern: `*` any run, `?` one character, case-insensitive. */
function globMatch(name: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

function hashedMatch(name: string, entry: string): boolean {
  const parts = entry.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const want = Buffer.from(parts[3] ?? '', 'base64');
  const got = nameHmac(name, Buffer.from(parts[2] ?? '', 'base64'));
  return want.length === got.length && got.equals(want);
}

/** Does the host-pattern field of a line match `name` (already in `[host]:port` form when needed)? */
export function hostMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(name, patterns);
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(name, p.slice(1))) return false;
    } else if (globMatch(name, p)) {
      matched = true;
    }
  }
  return matched;
}

/** Reads every file that exists (missing files are skipped, as OpenSSH does). */
export async function loadKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch {
      continue;
    }
    all.push(...parseKnownHosts(text, f));
  }
  return all;
}

/** Judge a presented host key against the entries for `names` (the host's known_hosts names). */
export function verifyHostKey(entries: KnownHostEntry[], names: string[], key: Buffer): HostKeyVerdict {
  const type = keyTypeOf(key);
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && names.some((n) => hostMatches(e.patterns, n)));
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.key.equals(key));
  if (same) return { kind: 'match', entry: same };
  const changed = plain.find((e) => e.keyType === type);
  if (changed) return { kind: 'changed', entry: changed };
  return { kind: 'unknown' };
}

/** Key types already known for a host, so the connection can ask the server for one of those first. */
export function knownKeyTypes(entries: KnownHostEntry[], names: string[]): string[] {
  const types = new Set<string>();
  for (const e of entries) {
    if (e.marker === undefined && names.some((n) => hostMatches(e.patterns, n))) types.add(e.keyType);
  }
  return [...types];
}

/** OpenSSH's hashed host name: `|1|` base64(salt) `|` base64(HMAC-SHA1(salt, name)), with a fresh 20-byte salt. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${nameHmac(name, salt).toString('base64')}`;
}

function nameHmac(name: string, salt: Buffer): Buffer {
  return createHmac('sha1', salt).update(name).digest();
}

/**
 * Appends `name type base64` to a known_hosts file (creating it and its directory, mode 0600/0700); with
 * `hashed`, the name is written as OpenSSH's HashKnownHosts writes it.
 */
export async function recordHostKey(file: string, name: string, key: Buffer, hashed = false): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const cur = await readFile(file, 'utf8');
    if (cur.length > 0 && !cur.endsWith('\n')) prefix = '\n';
  } catch {
    // new file
  }
  const written = hashed ? hashHostName(name) : name;
  await appendFile(file, `${prefix}${written} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}
