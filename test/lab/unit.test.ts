// Pure parts of the lab (no root needed): names, seed, client files.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { HostSpec } from './hostfiles.js';
import { inventoryIniText, inventoryYamlText, knownHostsText, sshConfigText } from './inventory.js';
import { hostAddress, isLabLink } from './paths.js';
import { disasterIndexes, seedEntries, seedEntry } from './seed.js';
import { initScript } from './services.js';
import { APISERVER_SCRIPT, IDLE_SCRIPT } from './standins.js';

const hosts: HostSpec[] = [1, 2].map((i) => ({
  index: i,
  name: `node${i}`,
  hostname: `node${i}`,
  address: hostAddress(7, i),
  etcd: i === 1,
  master: i === 1,
  ...(i === 1 ? { etcdName: 'etcd-node1', peerUrl: 'https://10.251.7.11:2380', clientUrl: 'https://10.251.7.11:2379' } : {}),
}));
const input = {
  dir: '/tmp/l/7',
  hosts,
  hostKeys: new Map([
    ['node1', 'ssh-ed25519 AAAA1'],
    ['node2', 'ssh-ed25519 AAAA2'],
  ]),
  clientKey: '/tmp/l/7/id_ed25519',
  knownHosts: '/tmp/l/7/known_hosts',
  sshConfig: '/tmp/l/7/ssh_config',
  inventoryYaml: '/tmp/l/7/inventory.yml',
  inventoryIni: '/tmp/l/7/inventory.ini',
  tls: true,
  etcdUser: 'etcd',
  labId: 7,
};

describe('lab names', () => {
  it('tells one lab\'s links from another\'s', () => {
    expect(isLabLink(1, 'lbr1')).toBe(true);
    expect(isLabLink(1, 'lbv1h12')).toBe(true);
    expect(isLabLink(1, 'lbv12h1')).toBe(false);
    expect(isLabLink(1, 'lbr12')).toBe(false);
    expect(isLabLink(1, 'eth0')).toBe(false);
  });
});

describe('seed', () => {
  it('is deterministic, Kubernetes-like and about 1 KiB a value', () => {
    const [k, v] = seedEntry(0);
    expect(k).toBe('/registry/pods/default/pod-0000000');
    expect(v.length).toBe(1024);
    expect(JSON.parse(v)).toMatchObject({ kind: 'Pod', metadata: { name: 'pod-0000000', namespace: 'default' } });
    expect(seedEntry(1234)).toEqual(seedEntry(1234));
    expect(seedEntry(1)[1]).not.toBe(seedEntry(2)[1]);
    expect(seedEntries(2000).size).toBe(2000);
  });

  it('picks the same disaster every time, about the fraction asked for', () => {
    const a = disasterIndexes(2000, 0.25);
    expect(a).toEqual(disasterIndexes(2000, 0.25));
    expect(a.length).toBeGreaterThan(400);
    expect(a.length).toBeLessThan(600);
  });
});

describe('client files', () => {
  it('writes the YAML inventory with the groups and host vars the issue asks for', () => {
    const inv = parse(inventoryYamlText(input));
    expect(inv.all.hosts.node1).toEqual({
      ansible_host: '10.251.7.11',
      ansible_user: 'root',
      ansible_ssh_private_key_file: '/tmp/l/7/id_ed25519',
      ansible_ssh_common_args: '-o UserKnownHostsFile=/tmp/l/7/known_hosts -o StrictHostKeyChecking=yes',
      etcd_name: 'etcd-node1',
      etcd_peer_url: 'https://10.251.7.11:2380',
      etcd_client_url: 'https://10.251.7.11:2379',
    });
    expect(inv.all.hosts.node2.etcd_name).toBeUndefined();
    expect(Object.keys(inv.all.children.etcd.hosts)).toEqual(['node1']);
    expect(inv.all.children.etcd.vars.etcd_initial_cluster).toBe('etcd-node1=https://10.251.7.11:2380');
    expect(Object.keys(inv.all.children.kube_node.hosts)).toEqual(['node2']);
  });

  it('writes INI with quoted values, ssh_config and known_hosts naming both name and address', () => {
    const ini = inventoryIniText(input);
    expect(ini).toContain('ansible_ssh_common_args="-o UserKnownHostsFile=/tmp/l/7/known_hosts -o StrictHostKeyChecking=yes"');
    expect(ini).toMatch(/\[etcd\]\nnode1\n/);
    expect(ini).toContain('\netcd_tls=True\n'); // a Python literal, as Ansible reads INI values
    expect(ini).toMatch(/\[kube_node\]\nnode2\n/);
    expect(knownHostsText(input)).toBe('node1,10.251.7.11 ssh-ed25519 AAAA1\nnode2,10.251.7.12 ssh-ed25519 AAAA2\n');
    expect(sshConfigText(input)).toMatch(/Host node2 10\.251\.7\.12\n {2}HostName 10\.251\.7\.12\n/);
    expect(sshConfigText(input)).toContain('StrictHostKeyChecking yes');
  });

  it('writes init scripts that find their daemon by pid file, checked against the host\'s mount namespace', () => {
    const s = initScript({ name: 'etcd', daemon: '/usr/bin/etcd', user: 'etcd', description: 'etcd', args: [] });
    expect(s).toContain('PIDFILE=/run/$NAME.pid');
    expect(s).toContain('readlink /proc/self/ns/mnt');
    expect(s).not.toMatch(/pkill|killall|pidof/);
  });

  it('writes shell that parses (init script, stand-ins)', () => {
    const init = initScript({ name: 'etcd', daemon: '/usr/bin/etcd', user: 'etcd', description: 'etcd', args: ['--a=1'] });
    for (const script of [init, APISERVER_SCRIPT, IDLE_SCRIPT]) {
      const r = spawnSync('sh', ['-n'], { input: script });
      expect(r.stderr.toString()).toBe('');
      expect(r.status).toBe(0);
    }
    expect(spawnSync('sh', ['-n'], { input: 'if then fi' }).status).not.toBe(0); // sh -n does catch errors
  });
});

describe('the kube-apiserver stand-in', () => {
  it('records etcd going backwards (a revision lower than the last one it wrote at)', async () => {
    const { mkdtempSync, readFileSync, writeFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'lifeboat-apiserver-'));
    // a fake etcdctl answering puts with revisions 5, 6, 3, 4 …
    writeFileSync(path.join(dir, 'etcdctl'), `#!/bin/sh
n=$(cat ${dir}/n 2>/dev/null || echo 0); n=$((n + 1)); echo $n > ${dir}/n
case $n in 1) r=5;; 2) r=6;; 3) r=3;; *) r=$((n));; esac
echo "{\\"header\\":{\\"cluster_id\\":1,\\"member_id\\":2,\\"revision\\":$r,\\"raft_term\\":2}}"
`, { mode: 0o755 });
    writeFileSync(path.join(dir, 'kube-apiserver'), APISERVER_SCRIPT, { mode: 0o755 });
    const log = path.join(dir, 'backwards.log');
    spawnSync('timeout', ['2.2', path.join(dir, 'kube-apiserver'), '--advertise-address=10.0.0.1', '--etcd-servers=http://x:2379'], {
      env: { PATH: `${dir}:/usr/bin:/bin`, LAB_BACKWARDS_LOG: log },
    });
    expect(existsSync(log)).toBe(true);
    expect(readFileSync(log, 'utf8')).toMatch(/ETCD WENT BACKWARDS: revision 3 after 6\n$/);
  });
});
