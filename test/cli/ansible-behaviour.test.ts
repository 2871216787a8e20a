/**
 * Behaviour that must match Ansible's on playbooks operators already have (issue #10), through the real CLI
 * over the local connection.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT, lifeboat, scratch } from './helpers.js';

const T = (s: string) => `{{ ${s} }}`;

describe.skipIf(!BUILT)('as Ansible does', () => {
  it('host and -e variables that refer to groups, inventory_dir or role vars do not break the connection', () => {
    const dir = scratch({
      hosts: [
        '[etcd]',
        'ctl ansible_connection=local',
        '[all:vars]',
        `first="${T("groups['etcd'][0]")}"`,
        `here="${T('inventory_dir')}"`,
        `ansible_user="${T('role_user | default("root")')}"`,
        '',
      ].join('\n'),
      'pb.yml': `- hosts: etcd\n  tasks:\n    - command: echo ${T('first')} ${T('here')} ${T('from_e')}\n      register: r\n    - assert: { that: "r.stdout == 'ctl ' ~ inventory_dir ~ ' ctl'" }\n`,
    });
    const r = lifeboat([
      'run',
      '-i',
      join(dir, 'hosts'),
      '-e',
      JSON.stringify({ from_e: T("groups['all'][0]") }),
      join(dir, 'pb.yml'),
      '--output',
      'plain',
    ]);
    expect(r.stdout + r.stderr).not.toContain('is undefined');
    expect(r.code).toBe(0);
  });

  it('the implicit localhost has the vars of [all:vars] (kubeasz 94.backup.yml: hosts: localhost)', () => {
    const dir = scratch({
      hosts: '[etcd]\n10.0.0.1\n[all:vars]\nbase_dir=/etc/kubeasz\ncluster_dir="{{ base_dir }}/clusters/k"\n',
      'pb.yml': `- hosts:\n  - localhost\n  tasks:\n    - shell: echo ${T('cluster_dir')}\n      register: r\n    - assert: { that: "r.stdout == '/etc/kubeasz/clusters/k'" }\n`,
    });
    const r = lifeboat(['run', '-i', join(dir, 'hosts'), join(dir, 'pb.yml'), '--output', 'plain']);
    expect(r.stdout + r.stderr).not.toContain('undefined');
    expect(r.code).toBe(0);
  });
});

describe.skipIf(!BUILT)('plan --offline', () => {
  it('tasks that read gathered facts are unknown until run, not WILL FAIL', () => {
    const dir = scratch({
      'inv.yml': 'all:\n  hosts:\n    ctl:\n      ansible_connection: local\n',
      'pb.yml': `- hosts: ctl\n  gather_facts: true\n  tasks:\n    - debug: msg="${T('ansible_hostname')}"\n    - command: echo hi\n      when: ansible_facts.os_family == 'Debian'\n`,
    });
    const r = lifeboat(['plan', '--offline', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(r.stdout).toContain('0 will fail');
    expect(r.stdout).toMatch(/debug[^\n]*\n\s+ctl\s+unknown until run \(depends on fact `ansible_hostname`/);
    expect(r.stdout).toMatch(/command[^\n]*\n\s+ctl\s+unknown until run \(depends on fact `ansible_os_family`/);
    expect(r.code).toBe(0);
  });
});

describe.skipIf(!BUILT)('plays whose hosts match nothing', () => {
  it('are skipped with a warning, and the other plays run (exit 0)', () => {
    const dir = scratch({
      'inv.yml': 'all:\n  hosts:\n    ctl:\n      ansible_connection: local\n  children:\n    kube_node: {}\n',
      'pb.yml': '- hosts: kube_node\n  tasks: [{ command: "false" }]\n- hosts: nosuch\n  tasks: [{ command: "false" }]\n- hosts: ctl\n  tasks: [{ name: last, command: "true" }]\n',
    });
    const r = lifeboat(['run', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml'), '--output', 'plain']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain('play "kube_node": no hosts matched "kube_node"');
    expect(r.stdout + r.stderr).toContain('could not match "nosuch"');
    expect(r.stdout).toMatch(/TASK \[last\][^\n]*\n\s+changed\s+ctl/);
  });
});
