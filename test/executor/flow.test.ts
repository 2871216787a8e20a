import { describe, expect, it } from 'vitest';
import { FakePool, runYaml } from './helpers.js';

describe('serial, run_once, delegate_to', () => {
  it('serial: rolling batches (number, percentage, list), each batch through every task', async () => {
    const inv = 'h1\nh2\nh3\nh4\nh5\n';
    const { ev } = await runYaml(`
- hosts: all
  gather_facts: false
  serial: [1, "40%", 10]
  tasks:
    - command: a
    - command: b
`, { inventory: inv });
    expect(ev.of('batch_start').map((b) => b.hosts)).toEqual([['h1'], ['h2', 'h3'], ['h4', 'h5']]);
    const order = ev.of('host_result').map((r) => `${r.host}:${r.task}`);
    expect(order).toEqual(['h1:command', 'h1:command', 'h2:command', 'h3:command', 'h2:command', 'h3:command', 'h4:command', 'h5:command', 'h4:command', 'h5:command']);
    // The same task has the same id in every batch.
    const ids = ev.of('task_start').map((t) => t.taskId);
    expect(new Set(ids).size).toBe(2);
  });

  it('serial: when every host of a batch fails, the next batches do not start', async () => {
    const pool = new FakePool((c) => c.on('x', { rc: 1 }));
    const { ev, summary } = await runYaml(`
- hosts: all
  gather_facts: false
  serial: 1
  tasks:
    - command: x
`, { pool });
    expect(ev.of('batch_start')).toHaveLength(1);
    expect(pool.execs('h2')).toEqual([]);
    expect(summary.exitCode).toBe(2);
  });

  it('run_once runs on the first host of the batch and gives the result to all', async () => {
    const pool = new FakePool((c) => c.on('leader', { stdout: `from-${c.host}` }));
    const { ev } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - command: leader
      register: l
      run_once: true
    - command: echo {{ l.stdout }}
`, { pool });
    expect(pool.execs('h1')).toEqual(['leader', 'echo from-h1']);
    expect(pool.execs('h2')).toEqual(['echo from-h1']);
    // The output is reported once, on the host it ran on; the others say whose result they were given.
    const first = ev.of('host_result').filter((r) => r.task === 'command' && r.stdout === 'from-h1');
    expect(first.map((r) => r.host)).toEqual(['h1']);
    const copies = ev.of('host_result').filter((r) => r.runOnceOf === 'h1');
    expect(copies.map((r) => [r.host, r.status, r.stdout])).toEqual([['h2', 'changed', undefined], ['h3', 'changed', undefined]]);
  });

  it("delegate_to runs on the delegate's connection with the delegating host's vars", async () => {
    const pool = new FakePool();
    const { ev } = await runYaml(`
- hosts: h1,h2
  gather_facts: false
  tasks:
    - command: echo for {{ inventory_hostname }}
      delegate_to: h3
    - command: echo local {{ inventory_hostname }}
      delegate_to: localhost
`, { pool });
    expect(pool.execs('h3')).toEqual(['echo for h1', 'echo for h2']);
    expect(pool.execs('localhost')).toEqual(['echo local h1', 'echo local h2']);
    expect(pool.execs('h1')).toEqual([]);
    expect(ev.of('host_result')[0]).toMatchObject({ host: 'h1', delegatedTo: 'h3' });
    expect(ev.of('host_start')[0]).toMatchObject({ host: 'h1', delegatedTo: 'h3' });
  });

  it('delegate_to a host that is not in the inventory fails clearly', async () => {
    const { ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - command: x
      delegate_to: nosuch
`);
    expect(ev.of('host_result')[0]?.msg).toMatch(/delegate_to: "nosuch" is not an inventory host/);
  });
});

describe('handlers', () => {
  const pb = (extra = '') => `
- hosts: all
  gather_facts: false
  pre_tasks:
    - command: pre
      notify: restart b
  tasks:
    - command: change-{{ inventory_hostname }}
      changed_when: inventory_hostname != 'h3'
      notify: [restart a, restart b]
    - command: after-tasks
${extra}  post_tasks:
    - command: post
  handlers:
    - name: restart b
      command: handler-b
    - name: restart a
      command: handler-a
      notify: chained
    - name: third
      command: handler-c
      listen: chained
`;
  it('run after each section, once, in handler order, only on hosts that notified; listen and chaining', async () => {
    const { pool, ev } = await runYaml(pb());
    expect(pool.execs('h1')).toEqual(['pre', 'handler-b', 'change-h1', 'after-tasks', 'handler-b', 'handler-a', 'handler-c', 'post']);
    expect(pool.execs('h3')).toEqual(['pre', 'handler-b', 'change-h3', 'after-tasks', 'post']);
    expect(ev.of('task_start').filter((t) => t.handler).map((t) => t.task)).toEqual(['restart b', 'restart b', 'restart a', 'third']);
  });

  it('meta: flush_handlers runs notified handlers at once', async () => {
    const { pool } = await runYaml(pb(`    - xt_meta: { do: flush_handlers }
    - command: after-flush
`));
    expect(pool.execs('h2')).toEqual(['pre', 'handler-b', 'change-h2', 'after-tasks', 'handler-b', 'handler-a', 'handler-c', 'after-flush', 'post']);
  });

  it('a notify naming no handler is invalid input (exit 4) before the play runs, with a did-you-mean', async () => {
    const { summary, pool, ev } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - command: x
      notify: restart etcd
  handlers:
    - name: restart etcdd
      command: handler-y
`);
    expect(summary.exitCode).toBe(4);
    expect(pool.execs('h1')).toEqual([]);
    // The one notify check (playbook/notify.ts, as `lifeboat validate` reports it), pointing at the notify value.
    expect(ev.of('warning')[0]?.msg).toMatch(/site\.yml:6:15: `notify` names no handler of this play: `restart etcd` — did you mean `restart etcdd`\?/);
  });

  it('failed hosts do not run handlers', async () => {
    const pool = new FakePool((c) => {
      if (c.host === 'h2') c.on('later', { rc: 1 });
    });
    const { pool: p } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - command: x
      notify: h
    - command: later
  handlers:
    - name: h
      command: handler
`, { pool });
    expect(p.execs('h1')).toEqual(['x', 'later', 'handler']);
    expect(p.execs('h2')).toEqual(['x', 'later']);
  });
});
