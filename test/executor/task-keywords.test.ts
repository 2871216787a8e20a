import { describe, expect, it } from 'vitest';
import type { ExecOptions } from '../../src/connection/types.js';
import { FakePool, runYaml } from './helpers.js';
import { SecretSet } from '../../src/secrets.js';

const play = (tasks: string, head = '') => `
- hosts: all
  gather_facts: false
${head}  tasks:
${tasks}`;

describe('task keywords', () => {
  it('when: false skips with the false condition as the reason', async () => {
    const { ev, pool, summary } = await runYaml(
      play(`
    - name: only h2
      command: echo hi
      when: inventory_hostname == 'h2'
`),
    );
    expect(pool.execs('h1')).toEqual([]);
    expect(pool.execs('h2')).toEqual(['echo hi']);
    const h1 = ev.of('host_result').find((r) => r.host === 'h1');
    expect(h1?.status).toBe('skipped');
    expect(h1?.msg).toBeUndefined();
    expect(summary.hosts.h1?.skipped).toBe(1);
  });

  it('loop with loop_control (loop_var, index_var, label) and register results, Ansible-shaped', async () => {
    const { ev, pool } = await runYaml(
      play(`
    - command: echo {{ idx }}={{ it.name }}
      loop: [{ name: a }, { name: b }]
      loop_control: { loop_var: it, index_var: idx, label: "{{ it.name }}" }
      register: out
    - command: echo {{ out.results | length }} {{ out.results[1].item.name }} {{ out.results[0].stdout }} {{ out.changed }}
`),
      { inventory: 'h1\n', pool: new FakePool((c) => c.on('echo 0=a', { stdout: 'A' })) },
    );
    expect(pool.execs('h1')).toEqual(['echo 0=a', 'echo 1=b', 'echo 2 b A True']);
    const items = ev.of('host_result').filter((r) => r.item !== undefined);
    expect(items.map((r) => r.item)).toEqual(['a', 'b']);
  });

  it('a loop item holding template braces (from command output) is data, never rendered again', async () => {
    const { pool, summary } = await runYaml(
      play(`
    - command: produce
      register: out
    - command: echo {{ item | quote }}
      loop: "{{ out.stdout_lines }}"
`),
      { inventory: 'h1\n', pool: new FakePool((c) => c.on('produce', { stdout: 'plain\n{{ not_a_var }}' })) },
    );
    expect(pool.execs('h1')).toEqual(['produce', 'echo plain', "echo '{{ not_a_var }}'"]);
    expect(summary.exitCode).toBe(0);
  });

  it('when is evaluated per loop item', async () => {
    const { pool } = await runYaml(play(`
    - command: echo {{ item }}
      loop: [1, 2, 3]
      when: item != 2
`), { inventory: 'h1\n' });
    expect(pool.execs('h1')).toEqual(['echo 1', 'echo 3']);
  });

  it('until / retries / delay retries until the condition holds and records attempts', async () => {
    let n = 0;
    const pool = new FakePool((c) => {
      const orig = c.exec.bind(c);
      c.exec = async (cmd: string, o?: ExecOptions) => {
        const r = await orig(cmd, o);
        return cmd === 'poll' ? { ...r, stdout: String(++n) } : r;
      };
    });
    const { ev, summary } = await runYaml(play(`
    - command: poll
      register: r
      until: r.stdout == '3'
      retries: 5
      delay: 0
    - command: echo {{ r.attempts }}
`), { inventory: 'h1\n', pool });
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['poll', 'poll', 'poll', 'echo 3']);
    expect(ev.of('host_result')[0]?.status).toBe('changed');
  });

  it('until that never holds fails after retries + 1 attempts', async () => {
    const { ev, pool, summary } = await runYaml(play(`
    - command: poll
      register: r
      until: false
      retries: 2
      delay: 0
`), { inventory: 'h1\n' });
    expect(pool.execs('h1')).toEqual(['poll', 'poll', 'poll']);
    expect(summary.exitCode).toBe(2);
    expect(ev.of('host_result')[0]?.msg).toMatch(/Retries exhausted.*after 3 attempts/);
  });

  it('retries and delay may be templates, rendered per host; a value that is not a number fails that host, naming it', async () => {
    const { ev, pool, summary } = await runYaml(play(`
    - command: poll
      register: r
      until: false
      retries: "{{ tries }}"
      delay: "{{ pause | default(0) }}"
`), { inventory: 'h1 tries=1\nh2 tries=3\nh3 tries=many\n' });
    expect(pool.execs('h1')).toEqual(['poll', 'poll']);
    expect(pool.execs('h2')).toEqual(['poll', 'poll', 'poll', 'poll']);
    expect(pool.execs('h3')).toEqual([]);
    const bad = ev.of('host_result').find((r) => r.host === 'h3');
    expect(bad?.status).toBe('failed');
    expect(bad?.msg).toContain('retries: "many" is not a whole number ≥ 0');
    expect(summary.exitCode).toBe(2);
  });

  it('failed_when and changed_when see the registered result', async () => {
    const pool = new FakePool((c) => {
      c.on('grep', { rc: 1, stdout: '' });
      c.on('status', { rc: 0, stdout: 'ERROR: down' });
    });
    const { ev, summary } = await runYaml(play(`
    - command: grep x /etc/f
      register: g
      failed_when: g.rc > 1
      changed_when: false
    - command: status
      register: s
      failed_when: "'ERROR' in s.stdout"
`), { inventory: 'h1\n', pool });
    const [g, s] = ev.of('host_result');
    expect(g?.status).toBe('ok');
    expect(s?.status).toBe('failed');
    expect(summary.exitCode).toBe(2);
  });

  it('ignore_errors: the host goes on, counted as ignored, exit 0', async () => {
    const pool = new FakePool((c) => c.on('bad', { rc: 3 }));
    const { ev, summary } = await runYaml(play(`
    - command: bad
      ignore_errors: true
    - command: good
`), { inventory: 'h1\n', pool });
    expect(pool.execs('h1')).toEqual(['bad', 'good']);
    expect(ev.of('host_result')[0]).toMatchObject({ status: 'failed', ignored: true });
    expect(summary.hosts.h1).toMatchObject({ ignored: 1, changed: 1, failed: 0 });
    expect(summary.exitCode).toBe(0);
  });

  it('no_log hides arguments and results in every event', async () => {
    const pool = new FakePool((c) => c.on('secret-cmd', { stdout: 'the-password', stderr: 'more' }));
    const { ev } = await runYaml(play(`
    - command: secret-cmd {{ item }}
      loop: [hunter2]
      no_log: true
`), { inventory: 'h1\n', pool });
    const text = JSON.stringify(ev.events);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('the-password');
    expect(text).toContain('hidden due to no_log');
  });

  it('secrets are masked in events; output is cut to 4 KiB', async () => {
    const big = 'x'.repeat(10000);
    const pool = new FakePool((c) => c.on('dump', { stdout: `token=s3cr3t-value ${big}` }));
    const { ev } = await runYaml(play(`
    - command: dump s3cr3t-value
`), { inventory: 'h1\n', pool, secrets: new SecretSet(['s3cr3t-value']) });
    const r = ev.of('host_result')[0];
    expect(r?.stdout).toMatch(/^token=\*{8} x+\n… \[\d+ more bytes cut\]$/);
    expect(Buffer.byteLength(r?.stdout ?? '')).toBeLessThan(4200);
    expect(JSON.stringify(ev.events)).not.toContain('s3cr3t-value');
  });

  it('become / become_user and environment (play, block, task) reach exec', async () => {
    const pool = new FakePool();
    await runYaml(play(`
    - block:
        - command: id
          become_user: etcd
          environment: { C: "{{ inventory_hostname }}" }
      environment: { B: b, A: overridden }
`, `  become: true
  environment: { A: a }
`), { inventory: 'h1\n', pool });
    const call = pool.conn('h1').calls[0];
    expect(call?.cmd).toBe('id');
    expect(call?.opts).toMatchObject({ become: true, becomeUser: 'etcd', env: { A: 'overridden', B: 'b', C: 'h1' } });
  });

  it('set_fact values are stored per host and last for the rest of the run', async () => {
    const { pool } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { who: "me-{{ inventory_hostname }}" }
- hosts: h2
  gather_facts: false
  tasks:
    - command: echo {{ who }} {{ hostvars['h1'].who }}
`);
    expect(pool.execs('h2')).toEqual(['echo me-h2 me-h1']);
  });

  it('gather_facts runs setup once per host first and stores the facts', async () => {
    const pool = new FakePool((c) => c.on('uname -n', { stdout: `nodename=node-${c.host}\n` }));
    const { ev } = await runYaml(`
- hosts: all
  gather_facts: true
  tasks:
    - command: echo {{ ansible_facts.nodename }} {{ ansible_nodename }}
`, { pool });
    expect(ev.of('task_start')[0]?.task).toBe('Gathering Facts');
    const execs = pool.execs('h3');
    expect(execs).toHaveLength(2);
    expect(execs[0]).toContain('uname -n');
    expect(execs[1]).toBe('echo node-h3 node-h3');
  });

  it('facts of other modules keep their own names, and sit in ansible_facts too (as Ansible)', async () => {
    const { pool } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { plain: 1 }
    - name: a fact module
      setup: {}
    - command: echo {{ ansible_facts.nodename }} {{ ansible_nodename }} {{ ansible_hostname is defined }} {{ nodename is defined }}
`, { inventory: 'h1\n', pool: new FakePool((c) => c.on('uname -n', { stdout: `nodename=n-${c.host}\n` })) });
    expect(pool.execs('h1').at(-1)).toBe('echo n-h1 n-h1 True False');
  });

  it('check_mode: true on a task in a real run plans but runs no step', async () => {
    const { pool, ev } = await runYaml(play(`
    - xt_ensure: { path: /x }
      check_mode: true
`), { inventory: 'h1\n', pool: new FakePool((c) => c.on('test -e', { rc: 1 })) });
    expect(pool.execs('h1')).toEqual(['test -e /x']);
    expect(ev.of('host_result')[0]?.status).toBe('changed');
  });

  it('ansible_check_mode is false in a real run', async () => {
    const { pool } = await runYaml(play(`
    - command: echo {{ ansible_check_mode }}
`), { inventory: 'h1\n' });
    expect(pool.execs('h1')).toEqual(['echo False']);
  });

  it('vars_files with a templated path are read per host at run time; a missing one is invalid input', async () => {
    const files = { 'vars/h1.yml': 'color: red\n', 'vars/h2.yml': 'color: blue\n', 'vars/common.yml': 'shape: round\n' };
    const pb = `
- hosts: h1,h2
  gather_facts: false
  vars_files: [vars/common.yml, "vars/{{ inventory_hostname }}.yml"]
  tasks:
    - command: echo {{ shape }} {{ color }}
`;
    const { pool } = await runYaml(pb, { files });
    expect(pool.execs('h1')).toEqual(['echo round red']);
    expect(pool.execs('h2')).toEqual(['echo round blue']);
    const bad = await runYaml(pb.replace('h1,h2', 'h3'), { files });
    expect(bad.summary.exitCode).toBe(4);
    expect(bad.ev.of('warning')[0]?.msg).toMatch(/vars_files: cannot read .*vars\/h3\.yml/);
  });

  it('a vars_files entry that is a list loads the first file that exists (per host when templated)', async () => {
    const files = { 'vars/h1.yml': 'color: red\n', 'vars/default.yml': 'color: grey\n', 'vars/os.yml': 'shape: square\n' };
    const pb = `
- hosts: h1,h2
  gather_facts: false
  vars_files:
    - [vars/missing.yml, vars/os.yml]
    - ["vars/{{ inventory_hostname }}.yml", vars/default.yml]
  tasks:
    - command: echo {{ shape }} {{ color }}
`;
    const { pool } = await runYaml(pb, { files });
    expect(pool.execs('h1')).toEqual(['echo square red']);
    expect(pool.execs('h2')).toEqual(['echo square grey']);
    const none = await runYaml(pb.replace(', vars/default.yml]', ']'), { files });
    expect(none.summary.exitCode).toBe(4);
    expect(none.ev.of('warning')[0]?.msg).toMatch(/vars_files: none of these files exists for h2: .*vars\/h2\.yml/);
    const staticNone = await runYaml(pb.replace('[vars/missing.yml, vars/os.yml]', '[vars/missing.yml, vars/gone.yml]'), { files }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(staticNone)).toMatch(/:5:7: vars_files: none of these files exists: vars\/missing.yml, vars\/gone.yml/);
  });

  it('values of variables named by the play var `secret`, and become passwords, are masked in events', async () => {
    const pool = new FakePool((c) => c.on('show', { stdout: 'token is tk-12345, pass is b3come-pw' }));
    const { ev } = await runYaml(play(`
    - name: show {{ etcd_token }}
      command: show {{ etcd_token }}
`, `  vars:
    etcd_token: tk-12345
    ansible_become_password: b3come-pw
    secret: [etcd_token]
`), { inventory: 'h1\n', pool });
    const r = ev.of('host_result')[0];
    expect(r?.stdout).toBe('token is ********, pass is ********');
    expect(r?.steps?.[0]?.text).toBe('show ********');
    expect(JSON.stringify(ev.events)).not.toMatch(/tk-12345|b3come-pw/);
  });

  it('run_once: set_fact and notify apply to every host of the batch', async () => {
    const { pool } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { leader: "{{ inventory_hostname }}" }
      run_once: true
    - command: echo {{ leader }}
      changed_when: false
    - command: change
      run_once: true
      notify: h
  handlers:
    - name: h
      command: handler {{ inventory_hostname }}
`);
    expect(pool.execs('h1')).toEqual(['echo h1', 'change', 'handler h1']);
    expect(pool.execs('h3')).toEqual(['echo h1', 'handler h3']);
  });
});
