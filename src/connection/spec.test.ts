import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LifeboatError } from '../errors.js';
import { connectionSpecFor } from './spec.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'ssh_config');
writeFileSync(
  config,
  `Host bastion
  HostName 192.0.2.10
  User jump
  Port 2022

Host db-*
  HostName %h.internal
  User ops
  Port 2222
  IdentityFile ~/.ssh/db_key
  ProxyJump bastion
  UserKnownHostsFile ~/.ssh/kh_db /etc/kh_db2
  StrictHostKeyChecking accept-new

Host *
  IdentityFile ~/.ssh/fallback
`,
);
const none = join(dir, 'absent');
mkdirSync(join(dir, 'conf.d'));
writeFileSync(join(dir, 'conf.d', '10-etcd.conf'), 'Host etcd-*\n  User etcdadm\n  Port 2201\n');
writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'Host etcd-*\n  User wrong\n');
const withInclude = join(dir, 'with_include');
writeFileSync(withInclude, `Include ${dir}/conf.d/*.conf ${dir}/conf.d/missing.conf\nHost *\n  User fallback\n`);

describe('connectionSpecFor', () => {
  it('maps ansible_* variables', () => {
    const s = connectionSpecFor(
      'etcd1',
      {
        ansible_host: '10.0.0.1',
        ansible_port: '2200',
        ansible_user: 'admin',
        ansible_ssh_private_key_file: '~/.ssh/etcd',
        ansible_become: 'yes',
        ansible_become_user: 'etcd',
        ansible_become_pass: 'pw',
      },
      { sshConfigFile: none },
    );
    expect(s).toMatchObject({
      host: 'etcd1',
      kind: 'ssh',
      address: '10.0.0.1',
      port: 2200,
      user: 'admin',
      privateKeyFiles: [`${homedir()}/.ssh/etcd`],
      become: true,
      becomeUser: 'etcd',
      becomePassword: 'pw',
      becomeTimeoutMs: 30_000,
      strictHostKeyChecking: 'yes',
      proxyJump: [],
      knownHostsFiles: [`${homedir()}/.ssh/known_hosts`, '/etc/ssh/ssh_known_hosts'],
    });
  });

  it('takes HashKnownHosts from the user config, else from the system config (as OpenSSH reads them)', () => {
    const sysYes = join(dir, 'system_hash_yes');
    writeFileSync(sysYes, 'Host *\n  HashKnownHosts yes\n');
    const userNo = join(dir, 'user_hash_no');
    writeFileSync(userNo, 'Host h\n  HashKnownHosts no\n');
    expect(connectionSpecFor('h', {}, { sshConfigFile: none, systemSshConfigFile: sysYes }).hashKnownHosts).toBe(true);
    expect(connectionSpecFor('h', {}, { sshConfigFile: userNo, systemSshConfigFile: sysYes }).hashKnownHosts).toBeUndefined();
    expect(connectionSpecFor('h', {}, { sshConfigFile: none, systemSshConfigFile: none }).hashKnownHosts).toBeUndefined();
    const viaArgs = { ansible_ssh_common_args: '-o HashKnownHosts=yes' };
    expect(connectionSpecFor('h', viaArgs, { sshConfigFile: userNo, systemSshConfigFile: none }).hashKnownHosts).toBe(true);
    expect(connectionSpecFor('localhost', {}, { sshConfigFile: none, systemSshConfigFile: sysYes }).hashKnownHosts).toBeUndefined();
  });

  it('uses defaults: login name, port 22, the default key files, become off', () => {
    const s = connectionSpecFor('h', {}, { sshConfigFile: none });
    expect(s.user).toBe(userInfo().username);
    expect(s.port).toBe(22);
    expect(s.privateKeyFiles).toEqual(['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => `${homedir()}/.ssh/${k}`));
    expect(s.become).toBe(false);
    expect(s.becomeUser).toBe('root');
    expect(s.useAgent).toBe(true);
  });

  it('applies ~/.ssh/config (Host patterns, HostName %h, ProxyJump resolved through the config)', () => {
    const s = connectionSpecFor('db-1', {}, { sshConfigFile: config });
    expect(s.address).toBe('db-1.internal');
    expect(s.user).toBe('ops');
    expect(s.port).toBe(2222);
    expect(s.privateKeyFiles).toEqual([`${homedir()}/.ssh/db_key`, `${homedir()}/.ssh/fallback`]);
    expect(s.proxyJump).toEqual(['jump@192.0.2.10:2022']);
    expect(s.knownHostsFiles).toEqual([`${homedir()}/.ssh/kh_db`, '/etc/kh_db2', '/etc/ssh/ssh_known_hosts']);
    expect(s.strictHostKeyChecking).toBe('accept-new');
  });

  it('lets inventory variables win over the ssh config, and ssh args over the config', () => {
    const s = connectionSpecFor(
      'db-2',
      {
        ansible_user: 'root',
        ansible_port: 22,
        ansible_ssh_common_args: '-o ProxyJump=none -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null',
      },
      { sshConfigFile: config },
    );
    expect(s).toMatchObject({ user: 'root', port: 22, proxyJump: [], strictHostKeyChecking: 'no' });
    expect(s.knownHostsFiles[0]).toBe('/dev/null');
  });

  it('follows Include (globs, missing files skipped) at the place of the Include line', () => {
    expect(connectionSpecFor('etcd-1', {}, { sshConfigFile: withInclude })).toMatchObject({ user: 'etcdadm', port: 2201 });
    expect(connectionSpecFor('web', {}, { sshConfigFile: withInclude }).user).toBe('fallback');
  });

  it('looks the ssh config up by ansible_host when it is set', () => {
    const s = connectionSpecFor('inventory-name', { ansible_host: 'db-9' }, { sshConfigFile: config });
    expect(s.address).toBe('db-9.internal');
    expect(s.host).toBe('inventory-name');
  });

  it('reads jumps from -J, ProxyJump lists and ProxyCommand ssh -W', () => {
    const j = (args: string) =>
      connectionSpecFor('h', { ansible_user: 'u', ansible_ssh_common_args: args }, { sshConfigFile: config }).proxyJump;
    expect(j('-J a@b1:2200,b2')).toEqual(['a@b1:2200', 'u@b2:22']);
    expect(j('-o ProxyJump=bastion')).toEqual(['jump@192.0.2.10:2022']);
    expect(j(`-o ProxyCommand="ssh -W %h:%p -q ops@b3"`)).toEqual(['ops@b3:22']);
  });

  it('accept-new from the option, unless checking is off; ansible_host_key_checking=false turns it off', () => {
    expect(connectionSpecFor('h', {}, { sshConfigFile: none, acceptNewHostKeys: true }).strictHostKeyChecking).toBe(
      'accept-new',
    );
    expect(
      connectionSpecFor('h', { ansible_host_key_checking: false }, { sshConfigFile: none }).strictHostKeyChecking,
    ).toBe('no');
  });

  it('is local for localhost / 127.0.0.1 and ansible_connection=local, ssh otherwise', () => {
    expect(connectionSpecFor('localhost', {}, { sshConfigFile: none }).kind).toBe('local');
    expect(connectionSpecFor('x', { ansible_host: '127.0.0.1' }, { sshConfigFile: none }).kind).toBe('local');
    expect(connectionSpecFor('x', { ansible_connection: 'local' }, { sshConfigFile: none }).kind).toBe('local');
    expect(
      connectionSpecFor('localhost', { ansible_connection: 'ssh' }, { sshConfigFile: none }).kind,
    ).toBe('ssh');
  });

  it('timeouts: options, then ansible_ssh_timeout / ansible_timeout in seconds', () => {
    expect(connectionSpecFor('h', { ansible_timeout: 3 }, { sshConfigFile: none }).connectTimeoutMs).toBe(3000);
    const s = connectionSpecFor('h', {}, { sshConfigFile: none, connectTimeoutMs: 500, becomeTimeoutMs: 60_000 });
    expect(s.connectTimeoutMs).toBe(500);
    expect(s.becomeTimeoutMs).toBe(60_000);
    expect(connectionSpecFor('h', {}, { sshConfigFile: none, becomePassword: 'p' }).becomePassword).toBe('p');
  });

  it('bad values are LifeboatErrors naming the host and what to do', () => {
    const bad = (vars: Record<string, unknown>) => {
      try {
        connectionSpecFor('db7', vars, { sshConfigFile: none });
      } catch (e) {
        return e as LifeboatError;
      }
      throw new Error('no error');
    };
    expect(bad({ ansible_port: 'ssh' })).toMatchObject({ code: 'E_INVENTORY', host: 'db7' });
    expect(bad({ ansible_connection: 'winrm' }).hint).toContain('ssh or local');
    expect(bad({ ansible_ssh_common_args: '-o "unterminated' }).message).toContain('ansible_ssh_common_args');
  });
});
