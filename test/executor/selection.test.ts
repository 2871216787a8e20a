import { describe, expect, it } from 'vitest';
import { FakePool, runYaml } from './helpers.js';

const tagged = `
- hosts: h1
  gather_facts: false
  tags: [play]
  tasks:
    - command: untagged
    - command: etcd-task
      tags: [etcd]
    - command: always-task
      tags: [always]
    - command: never-task
      tags: [never, debug]
    - block:
        - command: in-block
      tags: [blk]
`;

describe('tags, --start-at-task', () => {
  it('no --tags: everything but `never`', async () => {
    const { pool } = await runYaml(tagged);
    expect(pool.execs('h1')).toEqual(['untagged', 'etcd-task', 'always-task', 'in-block']);
  });
  it('--tags etcd: the tagged task plus `always`', async () => {
    const { pool } = await runYaml(tagged, { tags: ['etcd'] });
    expect(pool.execs('h1')).toEqual(['etcd-task', 'always-task']);
  });
  it('--tags debug runs a `never` task asked for by name; block tags are inherited', async () => {
    const { pool } = await runYaml(tagged, { tags: ['debug,blk'] });
    expect(pool.execs('h1')).toEqual(['always-task', 'never-task', 'in-block']);
  });
  it('play tags are inherited (even by a `never` task, as Ansible); --skip-tags always skips even `always`', async () => {
    const a = await runYaml(tagged, { tags: ['play'] });
    expect(a.pool.execs('h1')).toEqual(['untagged', 'etcd-task', 'always-task', 'never-task', 'in-block']);
    const b = await runYaml(tagged, { skipTags: ['etcd', 'always'] });
    expect(b.pool.execs('h1')).toEqual(['untagged', 'in-block']);
  });
  it('--tags untagged / tagged', async () => {
    const a = await runYaml(tagged.replace('  tags: [play]\n', ''), { tags: ['untagged'] });
    expect(a.pool.execs('h1')).toEqual(['untagged', 'always-task']);
  });
  it('--start-at-task starts at the named task (globs allowed)', async () => {
    const { pool } = await runYaml(tagged.replace('- command: always-task', '- name: the always one\n      command: always-task'), { startAtTask: 'the alw*' });
    expect(pool.execs('h1')).toEqual(['always-task', 'in-block']);
  });
  it('--start-at-task can name a task inside an included file', async () => {
    const files = { 'inc.yml': '- command: inc-1\n- name: start here\n  command: inc-2\n' };
    const { pool, ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - command: before
    - include_tasks: inc.yml
    - command: after
`, { files, startAtTask: 'start here' });
    expect(pool.execs('h1')).toEqual(['inc-2', 'after']);
    expect(ev.of('host_result').some((r) => r.msg?.startsWith('included'))).toBe(false);
  });

  it('--start-at-task naming no task: nothing runs, exit 4', async () => {
    const { pool, summary, ev } = await runYaml(tagged, { startAtTask: 'nope' });
    expect(pool.execs('h1')).toEqual([]);
    expect(summary.exitCode).toBe(4);
    expect(ev.of('warning').at(-1)?.msg).toMatch(/--start-at-task: no task named "nope"/);
  });
});

describe('include_tasks / include_role, end_play / end_host, interrupt', () => {
  it('include_tasks at run time: templated file, loop, params, inherited tags; loaded once', async () => {
    const files = {
      'inc/a.yml': '- command: a {{ item }} {{ p }}\n',
      'inc/b.yml': '- command: b-file\n  tags: [x]\n',
    };
    const { pool, ev } = await runYaml(`
- hosts: all
  gather_facts: false
  vars: { which: a }
  tasks:
    - include_tasks: inc/{{ which }}.yml
      loop: [1, 2]
      vars: { p: P }
    - include_tasks: inc/b.yml
      when: inventory_hostname == 'h2'
`, { files });
    expect(pool.execs('h1')).toEqual(['a 1 P', 'a 2 P']);
    expect(pool.execs('h2')).toEqual(['a 1 P', 'a 2 P', 'b-file']);
    const inc = ev.of('host_result').filter((r) => r.msg?.startsWith('included'));
    expect(inc.map((r) => r.host)).toEqual(['h1', 'h2', 'h3', 'h2']);
  });

  it('tags and includes: included tasks inherit the include\'s tags; an untagged include still reaches tagged tasks', async () => {
    const files = { 'inc/t.yml': '- command: inner-plain\n- command: inner-x\n  tags: [x]\n' };
    const pb = `
- hosts: h1
  gather_facts: false
  tasks:
    - include_tasks: inc/t.yml
    - include_tasks: inc/t.yml
      tags: [inc]
`;
    expect((await runYaml(pb, { files, tags: ['x'] })).pool.execs('h1')).toEqual(['inner-x', 'inner-x']);
    expect((await runYaml(pb, { files, tags: ['inc'] })).pool.execs('h1')).toEqual(['inner-plain', 'inner-x']);
    expect((await runYaml(pb, { files, skipTags: ['inc'] })).pool.execs('h1')).toEqual(['inner-plain', 'inner-x']);
  });

  it('include_role at run time with the role\'s defaults and handlers', async () => {
    const files = {
      'roles/r1/tasks/main.yml': '- command: role {{ greeting }}\n  notify: role handler\n',
      'roles/r1/defaults/main.yml': 'greeting: hello\n',
      'roles/r1/handlers/main.yml': '- name: role handler\n  command: role-handler\n',
    };
    const { pool, ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - include_role: { name: r1 }
`, { files });
    expect(pool.execs('h1')).toEqual(['role hello', 'role-handler']);
    expect(ev.of('task_start').map((t) => t.task)).toContain('r1 : command');
  });

  it('a missing include file fails the host with the loader\'s message', async () => {
    const { summary, ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - include_tasks: nowhere.yml
`);
    expect(summary.exitCode).toBe(2);
    expect(JSON.stringify(ev.events)).toMatch(/nowhere\.yml/);
  });

  it('end_host stops one host; end_play stops the play for all (next play runs)', async () => {
    const { pool } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - xt_meta: { do: end_host }
      when: inventory_hostname == 'h1'
    - command: one
    - xt_meta: { do: end_play }
    - command: two
- hosts: h1
  gather_facts: false
  tasks:
    - command: next
`);
    expect(pool.execs('h1')).toEqual(['next']);
    expect(pool.execs('h2')).toEqual(['one']);
  });

  it('Ctrl-C: running commands get the signal, no new task starts, recap with exit 130', async () => {
    const ac = new AbortController();
    const pool = new FakePool((c) => {
      const orig = c.exec.bind(c);
      c.exec = async (cmd, o) => {
        if (cmd === 'long') {
          await orig(cmd, o);
          expect(o?.signal).toBe(ac.signal);
          setTimeout(() => ac.abort(), 5);
          await new Promise((r) => o?.signal?.addEventListener('abort', r));
          return { rc: 130, stdout: '', stderr: '', signal: 'INT', durationMs: 5 };
        }
        return orig(cmd, o);
      };
    });
    const { pool: p, summary, ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - command: long
    - command: never-starts
`, { pool, signal: ac.signal });
    expect(p.execs('h1')).toEqual(['long']);
    expect(summary.exitCode).toBe(130);
    expect(ev.of('recap')[0]?.exitCode).toBe(130);
    expect(summary.hosts.h1?.failed).toBe(0);
    expect(ev.of('host_result')[0]?.msg).toBe('interrupted');
  });
});
