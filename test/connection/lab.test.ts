import { expect, it } from 'vitest';
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
});
