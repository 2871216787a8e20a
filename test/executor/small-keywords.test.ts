import { describe, expect, it } from 'vitest';
import { runYaml } from './helpers.js';

const files = {
  'roles/r1/tasks/main.yml': `
- command: echo r1-a
- block:
    - meta: end_role
      when: inventory_hostname == 'h1'
    - command: echo r1-in-block
- command: echo r1-b
`,
  'roles/r2/tasks/main.yml': '- command: echo r2-a\n',
};

describe('meta: end_role', () => {
  it('ends the current role for the host (its other tasks skipped), the play goes on with the next role and tasks', async () => {
    const { pool, summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  roles: [r1, r2]
  tasks:
    - include_role: { name: r1 }
    - command: echo play-task
`,
      { files },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo r1-a', 'echo r2-a', 'echo r1-a', 'echo play-task']);
    expect(pool.execs('h2')).toEqual(['echo r1-a', 'echo r1-in-block', 'echo r1-b', 'echo r2-a', 'echo r1-a', 'echo r1-in-block', 'echo r1-b', 'echo play-task']);
  });

  it('outside a role it fails the task, saying so', async () => {
    const { ev, summary } = await runYaml('- hosts: all\n  gather_facts: false\n  tasks:\n    - meta: end_role\n', { inventory: 'h1\n' });
    expect(summary.exitCode).not.toBe(0);
    expect(ev.of('host_result')[0]?.msg).toMatch(/end_role can only be used inside a role/);
  });
});

describe('command / shell `warn` (removed in ansible-core 2.14)', () => {
  it('is accepted and ignored, under args and in the free form', async () => {
    const { pool, summary } = await runYaml(
      `- hosts: all
  gather_facts: false
  tasks:
    - command: echo one
      args: { warn: false }
    - shell: echo two warn=no
    - ansible.builtin.shell:
        cmd: echo three
        warn: yes
`,
      { inventory: 'h1\n' },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo one', "/bin/sh -c 'echo two'", "/bin/sh -c 'echo three'"]);
  });
});

describe('import_playbook with when', () => {
  const files = { 'extra.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo extra {{ inventory_hostname }}\n' };
  const site = `- import_playbook: extra.yml
  when: inventory_hostname in (only | default([]))
- hosts: all
  gather_facts: false
  tasks:
    - command: echo main
`;

  it('adds the condition to every task of the imported plays, per host', async () => {
    const { pool, summary } = await runYaml(site, { files, extraVars: { only: ['h2'] } });
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo main']);
    expect(pool.execs('h2')).toEqual(['echo extra h2', 'echo main']);
  });

  it('a false condition skips the imported tasks (the host still runs the rest)', async () => {
    const { ev, pool } = await runYaml(site, { files, inventory: 'h1\n' });
    expect(pool.execs('h1')).toEqual(['echo main']);
    expect(ev.of('host_result')[0]?.status).toBe('skipped');
  });
});

describe('module arguments written as one template (Ansible `_variable_params`)', () => {
  it('renders the mapping per item, `args:` over it, omitted keys dropped; checked against the schema then', async () => {
    const { ev, summary } = await runYaml(
      `- hosts: all
  gather_facts: false
  vars:
    defaults: { msg: default, verbosity: 0 }
  tasks:
    - ansible.builtin.debug: "{{ defaults | combine(item) }}"
      args: { verbosity: 0 }
      loop:
        - { msg: one, verbosity: "{{ omit }}" }
        - { msg: two }
        - {}
`,
      { inventory: 'h1\n' },
    );
    expect(summary.exitCode).toBe(0);
    expect(ev.of('host_result').map((r) => r.msg).slice(0, 3)).toEqual(['one', 'two', 'default']);
  });

  it('a template that renders to no mapping, or to unknown arguments, fails the task, naming it', async () => {
    const { ev, summary } = await runYaml('- hosts: all\n  gather_facts: false\n  vars: { x: [1], y: { dset: a } }\n  tasks:\n    - name: t1\n      ansible.builtin.file: "{{ x }}"\n      ignore_errors: true\n    - name: t2\n      ansible.builtin.file: "{{ y }}"\n', { inventory: 'h1\n' });
    expect(summary.exitCode).not.toBe(0);
    expect(ev.of('host_result')[0]?.msg).toMatch(/arguments of module file are one template, which rendered to a list, not a mapping/);
    expect(ev.of('host_result')[1]?.msg).toMatch(/site.yml:8:7: invalid arguments for module file: .*unknown argument "dset"/);
  });
});
