import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LifeboatError } from '../../src/errors.js';
import { SshConnection } from '../../src/connection/ssh-connection.js';
import { createConnectionPool } from '../../src/connection/pool.js';
import { connectionSpecFor } from '../../src/connection/spec.js';
import { describeLab } from '../lab/fixture.js';

/**
 * The connection layer against the lab's hosts (separate network namespaces, each with its own sshd), set up
 * only by the lab's ssh_config, as a user's ~/.ssh/config would.
 */
describeLab('connections to lab hosts through their ssh_config', { hosts: 2, etcd: 0, masters: 0, tls: false }, (lab) => {
  it('takes address, user, key and known_hosts from the ssh config alone', async () => {
    const l = lab();
    const spec = connectionSpecFor('node1', {}, { sshConfigFile: l.sshConfig });
    expect(spec.address).toBe(l.hosts[0]?.address);
    expect(spec.user).toBe('root');
    expect(spec.privateKeyFiles).toEqual([l.clientKey]);
    expect(spec.knownHostsFiles).toEqual([l.knownHosts, '/dev/null']);
    const pool = createConnectionPool({ specFor: (h) => connectionSpecFor(h, {}, { sshConfigFile: l.sshConfig }) });
    try {
      const c = await pool.get('node1');
      expect((await c.exec('hostname')).stdout.trim()).toBe(l.hosts[0]?.hostname);
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.exec(`echo ${i}`)));
      expect(results.map((r) => Number(r.stdout))).toEqual(Array.from({ length: 40 }, (_, i) => i));
    } finally {
      await pool.closeAll();
    }
  });

  it('jumps to node2 through node1: node2 sees the connection coming from node1', async () => {
    const l = lab();
    const [n1, n2] = l.hosts;
    const spec = connectionSpecFor('node2', { ansible_ssh_common_args: '-J node1' }, { sshConfigFile: l.sshConfig });
    expect(spec.proxyJump).toEqual([`root@${n1?.address}:22`]);
    const pool = createConnectionPool({ specFor: () => spec });
    try {
      const c = await pool.get('node2');
      const r = await c.exec('hostname; echo $SSH_CLIENT');
      const [hostname, client] = r.stdout.trim().split('\n');
      expect(hostname).toBe(n2?.hostname);
      expect(client?.split(' ')[0]).toBe(n1?.address);
    } finally {
      await pool.closeAll();
    }
  });

  it('logs in with a password: by keyboard-interactive (PAM) or by password, whichever the server offers', async () => {
    const l = lab();
    const n2 = l.hosts[1];
    const pw = 'S3cret-pw;$(id)';
    // user ops exists only on node2 (its own /etc); two more sshds there: password-only and keyboard-interactive-only
    const cfg = (port: number, pass: string, kbd: string, pam: string) =>
      `printf '%s\\n' 'ListenAddress ${n2?.address}:${port}' 'HostKey /etc/ssh/ssh_host_ed25519_key' 'PidFile /run/sshd-${port}.pid' ` +
      `'PasswordAuthentication ${pass}' 'KbdInteractiveAuthentication ${kbd}' 'UsePAM ${pam}' 'PubkeyAuthentication no' 'UseDNS no' > /etc/ssh/sshd-${port}.conf && ` +
      `/usr/sbin/sshd -f /etc/ssh/sshd-${port}.conf -E /var/log/sshd-${port}.log`;
    const setup = await l.sh(
      'node2',
      `id ops >/dev/null 2>&1 || useradd -m -d /var/lib/ops -s /bin/sh ops; printf '%s\\n' 'ops:${pw}' | chpasswd && ` +
        `${cfg(2222, 'yes', 'no', 'no')} && ${cfg(2223, 'no', 'yes', 'yes')} && cat /etc/ssh/ssh_host_ed25519_key.pub`,
    );
    expect(setup.rc, setup.stderr).toBe(0);
    const hostKey = setup.stdout.trim().split(/\s+/).slice(0, 2).join(' ');
    const dir = await mkdtemp(join(tmpdir(), 'lb-pw-'));
    const kh = join(dir, 'known_hosts');
    await writeFile(kh, `[${n2?.address}]:2222 ${hostKey}\n[${n2?.address}]:2223 ${hostKey}\n`);
    const spec = (port: number, password: string) =>
      connectionSpecFor(
        'node2',
        {
          ansible_host: n2?.address,
          ansible_port: port,
          ansible_user: 'ops',
          ansible_password: password,
          ansible_ssh_private_key_file: join(dir, 'no-such-key'),
          ansible_ssh_common_args: `-o UserKnownHostsFile=${kh} -o IdentityAgent=none`,
        },
        { sshConfigFile: join(dir, 'no-config'), systemSshConfigFile: join(dir, 'no-config') },
      );
    try {
      for (const port of [2222, 2223]) {
        const c = new SshConnection(spec(port, pw));
        try {
          expect((await c.exec('id -un')).stdout).toBe('ops\n');
        } finally {
          await c.close();
        }
      }
      const bad = new SshConnection(spec(2222, 'wrong-password'));
      const e = await bad.connect().then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(LifeboatError);
      expect((e as LifeboatError).code).toBe('E_CONNECT');
      const text = `${(e as LifeboatError).message} ${(e as LifeboatError).hint}`;
      expect(text).toContain('authentication failed for ops@');
      expect(text).toContain('password');
      expect(text).not.toContain('wrong-password');
      await bad.close();
    } finally {
      await l.sh('node2', 'for p in 2222 2223; do kill $(cat /run/sshd-$p.pid) 2>/dev/null; done; true');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
