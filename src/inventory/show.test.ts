import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from './index.js';
import { inventoryGraph, inventoryHost, inventoryList } from './show.js';

const FIX = resolve(import.meta.dirname, '../../test/fixtures/inventory');
const dir = await loadInventory([join(FIX, 'dir')]);
const kubeasz = await loadInventory([join(FIX, 'kubeasz/hosts')]);

describe('inventoryGraph', () => {
  it('draws the tree as ansible-inventory --graph does', () => {
    // byte-for-byte the output of ansible-inventory 2.14 -i dir --graph
    expect(inventoryGraph(dir)).toBe(
      [
        '@all:',
        '  |--@ungrouped:',
        '  |--@backup:',
        '  |  |--store1',
        '  |--@k8s:',
        '  |  |--@etcd:',
        '  |  |  |--etcd1',
        '  |  |  |--etcd2',
        '  |  |  |--etcd3',
        '  |  |--@kube_master:',
        '  |  |  |--etcd1',
        '  |  |  |--etcd2',
        '',
      ].join('\n'),
    );
  });

  it('starts at a group, and shows variables when asked (hosts merged, Python-style values)', () => {
    // the output of ansible-inventory 2.14 -i dir --graph --vars kube_master
    const host = (ip: string, name: string) => [
      `  |  |--{ansible_host = ${ip}}`,
      '  |  |--{answer = y}',
      '  |  |--{apiserver_port = 6443}',
      '  |  |--{backup_enabled = False}',
      `  |  |--{etcd_name = ${name}}`,
      '  |  |--{etcd_port = 1111}',
      '  |  |--{etcd_snapshot_dir = /srv/etcd-snapshots}',
      '  |  |--{etcd_version = 3.4.23}',
      '  |  |--{ntp_server = ntp.example.org}',
      '  |  |--{snapshot_mode = 384}',
    ];
    expect(inventoryGraph(dir, { group: 'kube_master', vars: true })).toBe(
      [
        '@kube_master:',
        '  |--etcd1',
        ...host('192.168.0.11', 'etcd-a'),
        '  |--etcd2',
        ...host('10.0.0.12', 'etcd-b'),
        '  |--{apiserver_port = 6443}',
        '',
      ].join('\n'),
    );
  });

  it('prints values as Python does (as ansible-inventory)', async () => {
    const values = await loadInventory([join(FIX, 'values.ini')]);
    const text = inventoryGraph(values, { group: 'web', vars: true });
    for (const l of ['{d = True}', '{m = None}', '{g = [1, 2]}', '{h = {k:1}}', '{j = }', '{c = x y}', '{s5 = {{ foo }}/bar}']) {
      expect(text).toContain(`  |  |--${l}\n`);
    }
    const nested = await loadInventory([join(FIX, 'secrets.yml')]);
    expect(inventoryGraph(nested, { group: 'etcd', vars: true })).toContain("{creds = {'user': 'admin', 'password': '********'}}");
  });

  it('names an unknown group with the nearest one', () => {
    expect(() => inventoryGraph(dir, { group: 'etcdd' })).toThrow(/no group "etcdd"/);
    try {
      inventoryGraph(dir, { group: 'etcdd' });
    } catch (e) {
      expect((e as { code: string; hint: string }).code).toBe('E_PATTERN');
      expect((e as { hint: string }).hint).toBe('did you mean "etcd"?');
    }
  });
});

describe('inventoryList', () => {
  it('has the ansible-inventory --list shape: _meta.hostvars (merged), groups with hosts/children', () => {
    const l = inventoryList(kubeasz);
    expect(Object.keys(l)).toEqual(['_meta', 'all', 'etcd', 'kube_master', 'kube_node']);
    expect(l.all).toEqual({ children: ['ungrouped', 'etcd', 'kube_master', 'kube_node', 'harbor', 'ex_lb', 'chrony'] });
    expect(l.etcd).toEqual({ hosts: ['192.168.1.1', '192.168.1.2', '192.168.1.3'] });
    expect(l._meta.hostvars['192.168.1.4']).toMatchObject({ k8s_nodename: 'worker-01', SECURE_PORT: '6443' });
    expect(Object.keys(l._meta.hostvars)).toHaveLength(5);
  });

  it('with export, puts each group\'s vars on the group and only own vars on hosts', () => {
    const l = inventoryList(kubeasz, { export: true });
    expect(l.all?.vars).toMatchObject({ CLUSTER_NETWORK: 'calico', cluster_dir: '{{ base_dir }}/clusters/k8s-01' });
    expect(l._meta.hostvars['192.168.1.4']).toEqual({ k8s_nodename: 'worker-01' });
    expect(l._meta.hostvars['192.168.1.1']).toEqual({ k8s_nodename: 'master-01' });
  });

  it('is plain JSON', () => {
    const l = inventoryList(dir);
    expect(JSON.parse(JSON.stringify(l))).toEqual(l);
  });
});

describe('inventoryHost', () => {
  it('gives one host\'s merged variables', () => {
    expect(inventoryHost(dir, 'etcd3')).toEqual({
      ansible_host: '10.0.0.13',
      answer: 'y',
      backup_enabled: false,
      snapshot_mode: 0o600,
      etcd_port: 1111,
      etcd_snapshot_dir: '/srv/etcd-snapshots',
      etcd_version: '3.4.23',
      ntp_server: 'ntp.example.org',
    });
  });
  it('rejects an unknown host', () => {
    expect(() => inventoryHost(dir, 'etcd4')).toThrow(/no host "etcd4" in the inventory/);
  });
});

describe('secrets', async () => {
  const inv = await loadInventory([join(FIX, 'secrets.yml')]);

  it('never shows a password, passphrase, token or key in any view', () => {
    const outputs = [
      inventoryGraph(inv, { vars: true }),
      JSON.stringify(inventoryList(inv)),
      JSON.stringify(inventoryList(inv, { export: true })),
      JSON.stringify(inventoryHost(inv, 'etcd1')),
    ];
    for (const out of outputs) {
      expect(out).not.toMatch(/s3cret/);
      expect(out).toContain('********');
    }
  });

  it('keeps key file paths and empty values visible, and the real values for the run', () => {
    const shown = inventoryHost(inv, 'etcd1');
    expect(shown).toMatchObject({
      ansible_become_password: '********',
      ansible_ssh_pass: '********',
      etcd_initial_cluster_token: 'etcd-cluster-0',
      vault_token: '********',
      vault_api_key: '********',
      creds: { user: 'admin', password: '********' },
      ansible_ssh_private_key_file: '/root/.ssh/id_ed25519',
      empty_password: '',
    });
    const vars = inv.hosts.get('etcd1')?.vars;
    expect(vars?.ansible_ssh_pass).toBe('s3cret-ssh');
  });
});
