import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fingerprintSha256,
  hashHostName,
  hostMatches,
  keyTypeOf,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  recordHostKey,
  verifyHostKey,
} from './known-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-kh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function newKey(name: string, type = 'ed25519'): { line: string; blob: Buffer; file: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const line = readFileSync(`${file}.pub`, 'utf8').split(/\s+/).slice(0, 2).join(' ');
  return { line, blob: Buffer.from(line.split(' ')[1] ?? '', 'base64'), file };
}

const hasKeygen = (() => {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (e) {
    return (e as { status?: number }).status !== undefined;
  }
  return true;
})();

describe.skipIf(!hasKeygen)('known_hosts (keys made by ssh-keygen)', () => {
  const a = newKey('a');
  const b = newKey('b');
  const rsa = newKey('r', 'rsa');

  it('fingerprints exactly as ssh-keygen -l', () => {
    const want = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${a.file}.pub`]).toString().split(/\s+/)[1];
    expect(fingerprintSha256(a.blob)).toBe(want);
    expect(keyTypeOf(a.blob)).toBe('ssh-ed25519');
    expect(keyTypeOf(rsa.blob)).toBe('ssh-rsa');
  });

  it('names hosts as OpenSSH: bare on port 22, [host]:port otherwise', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('matches comma lists, wildcards, negation and [host]:port', () => {
    expect(hostMatches('db1,10.0.0.5', '10.0.0.5')).toBe(true);
    expect(hostMatches('db*', 'db7')).toBe(true);
    expect(hostMatches('db?', 'db17')).toBe(false);
    expect(hostMatches('db*,!db3', 'db3')).toBe(false);
    expect(hostMatches('[db1]:2222', '[db1]:2222')).toBe(true);
    expect(hostMatches('db1', '[db1]:2222')).toBe(false);
    expect(hostMatches('DB1', 'db1')).toBe(true);
  });

  it('matches hashed lines written by ssh-keygen -H, for plain and [host]:port names', () => {
    const f = join(dir, 'hashed');
    writeFileSync(f, `10.1.2.3 ${a.line}\n[10.1.2.3]:2200 ${b.line}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', f]);
    const entries = parseKnownHosts(readFileSync(f, 'utf8'), f);
    expect(entries.every((e) => e.patterns.startsWith('|1|'))).toBe(true);
    expect(verifyHostKey(entries, ['10.1.2.3'], a.blob).kind).toBe('match');
    expect(verifyHostKey(entries, ['[10.1.2.3]:2200'], b.blob).kind).toBe('match');
    expect(verifyHostKey(entries, ['10.1.2.4'], a.blob).kind).toBe('unknown');
  });

  it('tells match, changed (with file and line), unknown and revoked apart', () => {
    const text = `# c\n\nhost1 ${a.line}\n@cert-authority *.example ${b.line}\n@revoked * ${rsa.line}\nhost2 ${rsa.line}\n`;
    const entries = parseKnownHosts(text, '/kh');
    expect(verifyHostKey(entries, ['host1'], a.blob)).toMatchObject({ kind: 'match' });
    const changed = verifyHostKey(entries, ['host1'], b.blob);
    expect(changed).toMatchObject({ kind: 'changed', entry: { file: '/kh', line: 3 } });
    expect(verifyHostKey(entries, ['x.example'], b.blob).kind).toBe('unknown'); // CA lines are not supported
    expect(verifyHostKey(entries, ['host2'], rsa.blob).kind).toBe('revoked');
    expect(verifyHostKey(entries, ['host3'], a.blob).kind).toBe('unknown');
    // A key of another type than the known one is unknown, not changed.
    expect(verifyHostKey(entries, ['host1'], rsa.blob).kind).toBe('revoked');
    expect(knownKeyTypes(entries, ['host1'])).toEqual(['ssh-ed25519']);
  });

  it('records a key so that it is found again, creating the file', async () => {
    const f = join(dir, 'sub', 'known_hosts');
    await recordHostKey(f, '[h]:2222', a.blob);
    await recordHostKey(f, 'h', b.blob);
    const entries = parseKnownHosts(readFileSync(f, 'utf8'), f);
    expect(verifyHostKey(entries, ['[h]:2222'], a.blob).kind).toBe('match');
    expect(verifyHostKey(entries, ['h'], b.blob).kind).toBe('match');
    expect(readFileSync(f, 'utf8')).toBe(`[h]:2222 ${a.line}\nh ${b.line}\n`);
  });

  it('records a hashed name (HashKnownHosts) that ssh-keygen -F finds and that no plain name reveals', async () => {
    const f = join(dir, 'hashed-record');
    await recordHostKey(f, '[10.9.8.7]:2222', a.blob, true);
    await recordHostKey(f, '10.9.8.7', b.blob, true);
    const text = readFileSync(f, 'utf8');
    expect(text).not.toContain('10.9.8.7');
    expect(text.split('\n').filter(Boolean).every((l) => /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /.test(l))).toBe(true);
    // OpenSSH itself finds both entries (exit 0 and the key printed), and not an unknown host (exit 1)
    expect(execFileSync('ssh-keygen', ['-F', '[10.9.8.7]:2222', '-f', f]).toString()).toContain(a.line);
    expect(execFileSync('ssh-keygen', ['-F', '10.9.8.7', '-f', f]).toString()).toContain(b.line);
    expect(() => execFileSync('ssh-keygen', ['-F', '10.9.8.8', '-f', f])).toThrow();
    const entries = parseKnownHosts(text, f);
    expect(verifyHostKey(entries, ['10.9.8.7'], b.blob).kind).toBe('match');
    expect(verifyHostKey(entries, ['10.9.8.7'], a.blob).kind).toBe('changed');
    // a fresh salt each time: the same name never hashes to the same text twice
    expect(hashHostName('h')).not.toBe(hashHostName('h'));
  });
});
