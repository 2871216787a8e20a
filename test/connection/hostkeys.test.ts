import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/connection/ssh-connection.js';
import { LifeboatError } from '../../src/errors.js';
import { type Bench, sshdSkipReason, startBench } from './setup.js';

const skip = sshdSkipReason();
if (skip) console.warn(`connection host key tests skipped: ${skip}`);

async function failure(c: SshConnection): Promise<LifeboatError> {
  const e = await c.connect().then(() => undefined, (x: unknown) => x);
  await c.close();
  expect(e).toBeInstanceOf(LifeboatError);
  return e as LifeboatError;
}

/** OpenSSH's own fingerprint of a public key file. */
function sshKeygenFingerprint(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile]).toString().split(/\s+/)[1] ?? '';
}

describe.skipIf(skip)('host keys against a real sshd', () => {
  let b: Bench;
  let fp: string;
  beforeAll(async () => {
    b = await startBench();
    fp = sshKeygenFingerprint(join(b.sshd.dir, 'host_ed25519.pub'));
  });
  afterAll(async () => {
    await b?.cleanup();
  });

  const withKnownHosts = (file: string, extra = '') =>
    b.spec({ ansible_ssh_common_args: `-o UserKnownHostsFile=${file} ${extra}` });

  it('refuses an unknown key, showing its SHA256 fingerprint and how to accept it', async () => {
    const kh = join(b.dir, 'empty_known_hosts');
    await writeFile(kh, '');
    const e = await failure(new SshConnection(withKnownHosts(kh)));
    expect(e.code).toBe('E_HOSTKEY');
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]+$/);
    expect(e.message).toContain(fp);
    expect(e.hint).toContain('--accept-new-host-keys');
    expect(await readFile(kh, 'utf8')).toBe('');
  });

  it('with accept-new, records the key in the first known_hosts file; later connections check it', async () => {
    const kh = join(b.dir, 'new_known_hosts');
    const warnings: string[] = [];
    const spec = b.spec(
      { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh} -o HashKnownHosts=no` },
      { acceptNewHostKeys: true },
    );
    expect(spec.strictHostKeyChecking).toBe('accept-new');
    const c = new SshConnection(spec, { onWarning: (m) => warnings.push(m) });
    expect((await c.exec('echo ok')).stdout).toBe('ok\n');
    await c.close();
    expect(await readFile(kh, 'utf8')).toBe(`${b.sshd.knownHostsLine}\n`);
    expect(warnings.join('\n')).toContain(fp);
    // Now strict checking finds it.
    const c2 = new SshConnection(withKnownHosts(kh));
    expect((await c2.exec('echo again')).stdout).toBe('again\n');
    await c2.close();
  });

  it('with accept-new and HashKnownHosts (Debian sets it in /etc/ssh/ssh_config), records a hashed line', async () => {
    const kh = join(b.dir, 'new_hashed_known_hosts');
    const sys = join(b.dir, 'system_ssh_config');
    await writeFile(sys, 'Host *\n    HashKnownHosts yes\n');
    const spec = b.spec({ ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` }, { acceptNewHostKeys: true, systemSshConfigFile: sys });
    const c = new SshConnection(spec);
    expect((await c.exec('echo ok')).stdout).toBe('ok\n');
    await c.close();
    const text = await readFile(kh, 'utf8');
    expect(text).toMatch(/^\|1\|\S+ /);
    expect(text).not.toContain('127.0.0.1');
    expect(text.trim().split(' ').slice(1).join(' ')).toBe(b.sshd.hostKey);
    expect(execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${b.sshd.port}`, '-f', kh]).toString()).toContain(b.sshd.hostKey);
    const c2 = new SshConnection(withKnownHosts(kh));
    expect((await c2.exec('echo again')).stdout).toBe('again\n');
    await c2.close();
  });

  it('always refuses a changed key, naming the file and line of the old one (even with accept-new)', async () => {
    const kh = join(b.dir, 'changed_known_hosts');
    const other = join(b.dir, 'other_host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const otherPub = (await readFile(`${other}.pub`, 'utf8')).split(/\s+/).slice(0, 2).join(' ');
    await writeFile(kh, `# comment\nsomeotherhost ${otherPub}\n[127.0.0.1]:${b.sshd.port} ${otherPub}\n`);
    const spec = b.spec({ ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` }, { acceptNewHostKeys: true });
    const e = await failure(new SshConnection(spec));
    expect(e.code).toBe('E_HOSTKEY');
    expect(e.message).toContain('CHANGED');
    expect(e.message).toContain(`${kh}:3`);
    expect(e.message).toContain(fp);
    expect(await readFile(kh, 'utf8')).not.toContain(b.sshd.hostKey.split(' ')[1]);
  });

  it('matches a hashed known_hosts line (ssh-keygen -H)', async () => {
    const kh = join(b.dir, 'hashed_known_hosts');
    await writeFile(kh, `${b.sshd.knownHostsLine}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', kh]);
    const text = await readFile(kh, 'utf8');
    expect(text.startsWith('|1|')).toBe(true);
    expect(text).not.toContain('127.0.0.1');
    const c = new SshConnection(withKnownHosts(kh));
    expect((await c.exec('echo hashed')).stdout).toBe('hashed\n');
    await c.close();
  });

  it('refuses a key marked @revoked', async () => {
    const kh = join(b.dir, 'revoked_known_hosts');
    await writeFile(kh, `${b.sshd.knownHostsLine}\n@revoked * ${b.sshd.hostKey}\n`);
    const e = await failure(new SshConnection(withKnownHosts(kh)));
    expect(e.code).toBe('E_HOSTKEY');
    expect(e.message).toContain('revoked');
  });

  it('StrictHostKeyChecking=no connects to an unknown host with a warning', async () => {
    const warnings: string[] = [];
    const spec = withKnownHosts('/dev/null', '-o StrictHostKeyChecking=no');
    expect(spec.strictHostKeyChecking).toBe('no');
    const c = new SshConnection(spec, { onWarning: (m) => warnings.push(m) });
    expect((await c.exec('echo unchecked')).stdout).toBe('unchecked\n');
    await c.close();
    expect(warnings.some((w) => w.includes('not verified') && w.includes(fp))).toBe(true);
  });
});
