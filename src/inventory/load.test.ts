import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LifeboatErrors } from '../errors.js';
import { groupNamesOf, groupsMap, hostInventoryVars, loadInventory } from './index.js';
import { detectFormat } from './load.js';

const FIX = resolve(import.meta.dirname, '../../test/fixtures/inventory');
const fx = (p: string) => join(FIX, p);

describe('kubeasz-style INI hosts file', async () => {
  const inv = await loadInventory([fx('kubeasz/hosts')]);

  it('has the groups, in every host in all, empty optional groups kept', () => {
    const g = groupsMap(inv);
    expect(g.etcd).toEqual(['192.168.1.1', '192.168.1.2', '192.168.1.3']);
    expect(g.kube_master).toEqual(['192.168.1.1', '192.168.1.2', '192.168.1.3']);
    expect(g.kube_node).toEqual(['192.168.1.4', '192.168.1.5']);
    expect(g.harbor).toEqual([]);
    expect(g.ex_lb).toEqual([]);
    expect(g.all).toEqual(['192.168.1.1', '192.168.1.2', '192.168.1.3', '192.168.1.4', '192.168.1.5']);
    expect(g.ungrouped).toEqual([]);
    expect(inv.sources).toEqual([fx('kubeasz/hosts')]);
  });

  it('reads [all:vars] as Ansible does: quoted strings stay strings, templates stay raw', () => {
    const v = hostInventoryVars(inv, '192.168.1.2');
    expect(v.SECURE_PORT).toBe('6443');
    expect(v.cluster_dir).toBe('{{ base_dir }}/clusters/k8s-01');
    expect(v.ansible_python_interpreter).toBe('/usr/bin/python3');
    expect(v.k8s_nodename).toBe('master-02'); // host var beats [all:vars] k8s_nodename=''
    expect(hostInventoryVars(inv, '192.168.1.5').k8s_nodename).toBe('worker-02');
  });

  it('names the groups of a host', () => {
    expect(groupNamesOf(inv, '192.168.1.1')).toEqual(['etcd', 'kube_master']);
    expect(groupNamesOf(inv, '192.168.1.4')).toEqual(['kube_node']);
  });
});

describe('INI values and entries (each checked against ansible-inventory 2.14)', async () => {
  const inv = await loadInventory([fx('values.ini')]);

  it('reads host-line values through shlex, then as Python literals', () => {
    expect(hostInventoryVars(inv, 'w1')).toMatchObject({
      a: 5,
      b: 6, // the quotes are removed by shlex first, so "6" is the number 6 — as in Ansible
      c: 'x y',
      d: true,
      e: 'yes',
      f: '0755',
      g: [1, 2],
      h: '{k:1}', // shlex removed the inner quotes, so this is no dict (as in Ansible)
      i: '10.0.0.1',
      j: '',
      k: 1000,
      l: -3,
      m: null,
      n: 'x', // '#' ends a host line, even inside a word
    });
  });

  it('reads [g:vars] values as the rest of the line, then as Python literals', () => {
    expect(hostInventoryVars(inv, 'node01')).toMatchObject({
      s1: 'quoted',
      s2: 5,
      s3: true,
      s4: 'plain text here',
      s5: '{{ foo }}/bar',
      s6: 'x',
      s7: 'bar # comment',
      s8: '',
      s9: 'spaced',
    });
  });

  it('expands ranges, takes ports, keeps hosts before any section ungrouped', () => {
    const g = groupsMap(inv);
    expect(g.web).toEqual(['w1', 'w2', 'node01', 'node02', 'node03']);
    expect(g.db).toEqual(['10.0.0.11', '10.0.0.12', '10.0.0.13', 'db-a', 'db-b', 'db-c']);
    // group order (as Ansible's groups['dbs']): child groups in declared order, db before web
    expect(g.dbs).toEqual(['10.0.0.11', '10.0.0.12', '10.0.0.13', 'db-a', 'db-b', 'db-c', 'w1', 'w2', 'node01', 'node02', 'node03']);
    expect(g.ungrouped).toEqual(['first_host', 'lonely']);
    expect(hostInventoryVars(inv, 'w2')).toMatchObject({ ansible_port: 2222, ansible_host: '10.0.0.9' });
    expect(hostInventoryVars(inv, 'db-b').ansible_port).toBe(2200);
    expect(hostInventoryVars(inv, 'first_host').x).toBe(1);
  });
});

describe('nested YAML inventory', async () => {
  const inv = await loadInventory([fx('nested.yml')]);

  it('walks children to any depth', () => {
    const g = groupsMap(inv);
    expect(g.etcd).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect(g.control_plane).toEqual(['etcd1', 'etcd2', 'etcd3', 'master01', 'master02']);
    // group order: children level by level (workers is a child, etcd a grandchild)
    expect(g.k8s).toEqual(['node01', 'node02', 'node03', 'etcd1', 'etcd2', 'etcd3', 'master01', 'master02']);
    expect(g.monitoring).toEqual(['etcd1', 'prom']);
    expect(g.ungrouped).toEqual(['bastion']);
    expect([...(inv.groups.get('all')?.children ?? [])]).toEqual(['ungrouped', 'k8s', 'monitoring']);
    // group_names as Ansible gives them (checked with ansible -m debug -a var=group_names)
    expect(groupNamesOf(inv, 'etcd1')).toEqual(['control_plane', 'etcd', 'k8s', 'monitoring']);
    expect(groupNamesOf(inv, 'bastion')).toEqual(['ungrouped']);
  });

  it('lets deeper groups win, whatever the order of declaration', () => {
    expect(hostInventoryVars(inv, 'etcd1')).toEqual({ ansible_user: 'root', tier: 'etcd', etcd_data_dir: '/var/lib/etcd' });
    expect(hostInventoryVars(inv, 'master01').tier).toBe('control_plane');
    expect(hostInventoryVars(inv, 'node02').tier).toBe('k8s');
    expect(hostInventoryVars(inv, 'prom').tier).toBe('all');
    expect(hostInventoryVars(inv, 'bastion')).toEqual({ ansible_user: 'root', tier: 'all', ansible_host: '10.0.0.2' });
  });

  it('records where hosts and groups were declared', () => {
    expect(inv.hosts.get('master01')?.src).toEqual({ file: fx('nested.yml'), line: 26, col: 17 });
    expect(inv.groups.get('workers')?.src).toEqual({ file: fx('nested.yml'), line: 29, col: 9 });
  });
});

describe('variable precedence, one level at a time (checked against ansible-inventory 2.14)', async () => {
  const inv = await loadInventory([fx('precedence/hosts.yml')]);
  const h1 = hostInventoryVars(inv, 'h1');
  const h2 = hostInventoryVars(inv, 'h2');

  it('all', () => expect(h1.v_all).toBe('all'));
  it('child group over parent group over all', () => expect(h1.depth).toBe('child'));
  it('same depth: alphabetical, the later name wins', () => {
    expect(h1.same_depth).toBe('zulu');
    expect(h2.same_depth).toBe('alpha');
  });
  it('same depth: ansible_group_priority first, and it is no host variable', () => {
    expect(h1.prio).toBe('aaa_high');
    expect(h1).not.toHaveProperty('ansible_group_priority');
  });
  it('a group_vars file over the same group inline', () => expect(h1.same_level).toBe('child-file'));
  it('a child group_vars file over a parent one', () => expect(h1.group_file).toBe('child-file'));
  it('group_vars/all over inline vars of every group (as Ansible)', () => expect(h1.file_vs_inline).toBe('all-file'));
  it('inline host vars over group_vars files', () => {
    expect(h1.group_file_vs_host_inline).toBe('host-inline');
    expect(h2.group_file_vs_host_inline).toBe('child-file');
  });
  it('host_vars file over inline host vars', () => expect(h1.host_file).toBe('host-file'));

  it('keeps the layers apart and `vars` merged', () => {
    const child = inv.groups.get('child');
    expect(child?.varLayers?.inline.same_level).toBe('child-inline');
    expect(child?.varLayers?.files.same_level).toBe('child-file');
    expect(child?.vars.same_level).toBe('child-file');
  });
});

describe('an inventory directory', async () => {
  const inv = await loadInventory([fx('dir')]);

  it('reads every inventory file, recursively, and skips the rest', () => {
    expect(inv.order).toEqual(['etcd1', 'etcd2', 'etcd3', 'store1']);
    expect(groupsMap(inv).backup).toEqual(['store1']);
    expect(inv.groups.has('broken')).toBe(false);
    expect(inv.sources).toEqual(
      [
        'hosts',
        'sub/extra.yaml',
        'group_vars/all.yml',
        'group_vars/etcd/10-main.yml',
        'group_vars/etcd/20-override.yaml',
        'group_vars/kube_master',
        'host_vars/etcd1.yml',
        'host_vars/etcd2.json',
      ].map((p) => fx(`dir/${p}`)),
    );
  });

  it('applies group_vars files, directories (in name order) and extension-less files, and host_vars', () => {
    expect(hostInventoryVars(inv, 'etcd1')).toEqual({
      ansible_host: '192.168.0.11',
      answer: 'y',
      apiserver_port: 6443,
      backup_enabled: false, // YAML 1.1, as Ansible: `no` is a boolean, `0600` octal, `y` a string
      etcd_name: 'etcd-a',
      etcd_port: 1111,
      etcd_snapshot_dir: '/srv/etcd-snapshots',
      etcd_version: '3.4.23',
      ntp_server: 'ntp.example.org',
      snapshot_mode: 0o600,
    });
    expect(hostInventoryVars(inv, 'etcd2').etcd_name).toBe('etcd-b');
    expect(hostInventoryVars(inv, 'store1')).toMatchObject({ ansible_host: '10.0.0.50', etcd_port: 1111, ntp_server: 'ntp.example.org' });
    expect(inv.groups.has('nosuchgroup')).toBe(false);
  });

  it('picks up group_vars/host_vars beside a single inventory file too', async () => {
    const one = await loadInventory([fx('dir/hosts')]);
    expect(hostInventoryVars(one, 'etcd1').etcd_name).toBe('etcd-a');
  });
});

describe('several -i paths', () => {
  it('unite groups and hosts, later values win', async () => {
    const inv = await loadInventory([fx('dir'), fx('nested.yml')]);
    expect(groupsMap(inv).etcd).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect(groupsMap(inv).kube_master).toEqual(['etcd1', 'etcd2', 'master01', 'master02']);
    expect(inv.order.slice(0, 5)).toEqual(['etcd1', 'etcd2', 'etcd3', 'store1', 'bastion']);
    // etcd_data_dir only in nested.yml; ansible_host of etcd1 from dir/host_vars (a file beats inline)
    expect(hostInventoryVars(inv, 'etcd1')).toMatchObject({ etcd_data_dir: '/var/lib/etcd', ansible_host: '192.168.0.11' });
  });

  it('take a comma-separated host list', async () => {
    const inv = await loadInventory(['10.0.0.1,node[1:2]:2222,']);
    expect(inv.order).toEqual(['10.0.0.1', 'node1', 'node2']);
    expect(groupsMap(inv).ungrouped).toEqual(['10.0.0.1', 'node1', 'node2']);
    expect(hostInventoryVars(inv, 'node2')).toEqual({ ansible_port: 2222 });
  });
});

describe('path errors', () => {
  const tmp = mkdtemp(join(tmpdir(), 'lifeboat-inv-'));
  afterAll(async () => rm(await tmp, { recursive: true, force: true }));

  it('a missing path, an empty directory and a script are errors, all reported at once', async () => {
    const dir = await tmp;
    await writeFile(join(dir, 'inv.py'), '#!/usr/bin/env python3\nprint("{}")\n');
    const empty = join(dir, 'empty');
    await (await import('node:fs/promises')).mkdir(empty);
    const err = await loadInventory([join(dir, 'nope'), empty, join(dir, 'inv.py')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LifeboatErrors);
    const msgs = (err as LifeboatErrors).errors.map((e) => `${e.code} ${e.message}`);
    expect(msgs).toEqual([
      `E_INVENTORY inventory path "${join(dir, 'nope')}" does not exist`,
      `E_INVENTORY inventory directory "${empty}" holds no inventory file`,
      'E_INVENTORY this looks like a dynamic inventory script, which Lifeboat does not run',
    ]);
  });

  it('follows symlinks to inventory files and vars directories, and ignores a byte-order mark', async () => {
    const d = join(await tmp, 'links');
    const fs = await import('node:fs/promises');
    await fs.mkdir(join(d, 'group_vars'), { recursive: true });
    await writeFile(join(await tmp, 'real-hosts'), '\uFEFF[etcd]\netcd1\n');
    await fs.symlink(join(await tmp, 'real-hosts'), join(d, 'hosts'));
    await fs.mkdir(join(await tmp, 'real-etcd-vars'));
    await writeFile(join(await tmp, 'real-etcd-vars', 'main.yml'), 'etcd_port: 2379\n');
    await fs.symlink(join(await tmp, 'real-etcd-vars'), join(d, 'group_vars', 'etcd'));
    const inv = await loadInventory([d]);
    expect(groupsMap(inv).etcd).toEqual(['etcd1']);
    expect(hostInventoryVars(inv, 'etcd1')).toEqual({ etcd_port: 2379 });
  });

  it('an unknown host is named with the nearest one', async () => {
    const inv = await loadInventory([fx('nested.yml')]);
    expect(() => hostInventoryVars(inv, 'etcd4')).toThrow(/no host "etcd4"/);
    try {
      hostInventoryVars(inv, 'mastr01');
    } catch (e) {
      expect((e as { hint: string }).hint).toBe('did you mean "master01"?');
    }
  });
});

describe('detectFormat', () => {
  it.each([
    ['a.yml', '[x]', 'yaml'],
    ['a.json', '{}', 'yaml'],
    ['a.ini', 'all:', 'ini'],
    ['hosts', '# c\n; c\n\n[etcd]\n', 'ini'],
    ['hosts', 'node1\nnode2\n', 'ini'],
    ['hosts', 'node1:2222 a=1\n', 'ini'],
    ['hosts', '---\nall:\n', 'yaml'],
    ['hosts', '# c\nall:\n  hosts:\n', 'yaml'],
  ] as const)('%s %j → %s', (file, text, want) => {
    expect(detectFormat(file, text)).toBe(want);
  });
});
