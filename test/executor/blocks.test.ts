import { describe, expect, it } from 'vitest';
import { FakePool, runYaml } from './helpers.js';

describe('block / rescue / always', () => {
  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: step1
        - command: step2
      rescue:
        - command: rescue {{ ansible_failed_task.name }} {{ ansible_failed_result.rc | default('none') }}
      always:
        - command: always
    - command: after
`;
  it('a failing host runs rescue then always and goes on, counted as rescued', async () => {
    const pool = new FakePool((c) => {
      if (c.host === 'h2') c.on('step1', { rc: 5 });
    });
    const { summary, ev } = await runYaml(pb, { pool });
    expect(pool.execs('h1')).toEqual(['step1', 'step2', 'always', 'after']);
    expect(pool.execs('h2')).toEqual(['step1', 'rescue command 5', 'always', 'after']);
    expect(summary.hosts.h2).toMatchObject({ rescued: 1, failed: 0 });
    expect(summary.exitCode).toBe(0);
    expect(ev.of('host_result').find((r) => r.host === 'h2')?.status).toBe('failed');
  });

  it('a host that becomes unreachable inside the block runs rescue too (unlike Ansible)', async () => {
    const pool = new FakePool();
    pool.down.add('h3');
    const { summary } = await runYaml(
      pb.replace(
        "        - command: rescue {{ ansible_failed_task.name }} {{ ansible_failed_result.rc | default('none') }}\n",
        "        - command: rescue {{ ansible_failed_task.name }} {{ ansible_failed_result.rc | default('none') }}\n          delegate_to: localhost\n",
      ),
      { pool },
    );
    expect(pool.execs('localhost')).toEqual(["rescue command none"]);
    // Unreachable in step1 (rescued), then again in always (which runs on h3 too): out of the run, exit 3.
    expect(summary.hosts.h3).toMatchObject({ unreachable: 2, rescued: 1 });
    expect(summary.exitCode).toBe(3);
    expect(pool.execs('h1')).toEqual(['step1', 'step2', 'always', 'after']);
  });

  it('a failure in rescue fails the host after always', async () => {
    const pool = new FakePool((c) => {
      c.on('step2', { rc: 1 });
      c.on('rescue', { rc: 1 });
    });
    const { summary } = await runYaml(pb, { pool, inventory: 'h1\n' });
    expect(pool.execs('h1')).toEqual(['step1', 'step2', 'rescue command 1', 'always']);
    expect(summary.hosts.h1).toMatchObject({ failed: 1, rescued: 0 });
    expect(summary.exitCode).toBe(2);
  });

  it('nested: an inner block without rescue runs its always, then the outer rescue catches the failure', async () => {
    const pool = new FakePool((c) => c.on('inner', { rc: 1 }));
    const { summary } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - block:
            - command: inner
            - command: not-run
          always:
            - command: inner-always
        - command: not-run-either
      rescue:
        - command: outer-rescue
`, { pool });
    expect(pool.execs('h1')).toEqual(['inner', 'inner-always', 'outer-rescue']);
    expect(summary.exitCode).toBe(0);
  });

  it('block keywords (when, become, vars) are inherited by its tasks', async () => {
    const { pool } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: echo {{ v }}
      when: inventory_hostname == 'h1'
      vars: { v: from-block }
      become: true
`);
    expect(pool.execs('h1')).toEqual(['echo from-block']);
    expect(pool.execs('h2')).toEqual([]);
    expect(pool.conn('h1').calls[0]?.opts).toMatchObject({ become: true });
  });
});

describe('any_errors_fatal, max_fail_percentage, unreachable', () => {
  it('any_errors_fatal: one failure stops every host (no further task starts)', async () => {
    const pool = new FakePool((c) => {
      if (c.host === 'h2') c.on('one', { rc: 1 });
    });
    const { summary, ev } = await runYaml(`
- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - command: one
    - command: two
- hosts: all
  gather_facts: false
  tasks:
    - command: three
`, { pool });
    expect(pool.execs('h1')).toEqual(['one']);
    expect(pool.execs('h3')).toEqual(['one']);
    expect(summary.exitCode).toBe(2);
    expect(ev.of('warning')[0]?.msg).toMatch(/any_errors_fatal: h2 failed/);
    expect(ev.of('recap')).toHaveLength(1);
  });

  it('any_errors_fatal counts an unreachable host as an error; exit 3', async () => {
    const pool = new FakePool();
    pool.down.add('h1');
    const { summary } = await runYaml(`
- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - command: one
    - command: two
`, { pool });
    expect(pool.execs('h2')).toEqual(['one']);
    expect(summary.exitCode).toBe(3);
    expect(summary.hosts.h1).toMatchObject({ unreachable: 1 });
  });

  it('an unreachable host drops out, the others go on; ignore_unreachable keeps it in', async () => {
    const pool = new FakePool();
    pool.down.add('h2');
    const { summary, ev } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - command: probe
      ignore_unreachable: true
    - command: one
    - command: two
`, { pool });
    expect(pool.execs('h1')).toEqual(['probe', 'one', 'two']);
    expect(pool.opened.filter((h) => h === 'h2')).toHaveLength(2);
    const r = ev.of('host_result').filter((x) => x.host === 'h2');
    expect(r.map((x) => x.status)).toEqual(['unreachable', 'unreachable']);
    expect(r[1]?.msg).toMatch(/cannot connect to h2/);
    expect(summary.hosts.h2).toMatchObject({ unreachable: 1, ignored: 1 });
    expect(summary.exitCode).toBe(3);
  });

  it('max_fail_percentage: more than the share of the batch failing stops the run', async () => {
    const pool = new FakePool((c) => {
      c.on('one', { rc: 1 });
      if (c.host === 'h3') c.on('two', { rc: 1 });
    });
    const { ev } = await runYaml(`
- hosts: all
  gather_facts: false
  max_fail_percentage: 50
  tasks:
    - command: one
      when: inventory_hostname in ['h1', 'h2']
    - command: two
    - command: three
`, { pool, inventory: 'h1\nh2\nh3\nh4\n' });
    // After task one: 2 of 4 failed = 50%, not more: go on. After two: h3 fails too: 75% > 50%: stop.
    expect(pool.execs('h4')).toEqual(['two']);
    expect(pool.execs('h3')).toEqual(['two']);
    expect(ev.of('warning')[0]?.msg).toMatch(/max_fail_percentage 50% exceeded: 3 of 4/);
  });

  it("notify on a block (kubespray's kubeadm init): the block's tasks without their own notify notify its handler, rescue too", async () => {
    const pool = new FakePool((c) => {
      if (c.host === 'h2') c.on('init-1st', { rc: 1 });
    });
    const { summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  tasks:
    - notify: restart kubelet
      block:
        - command: init-1st
        - command: own
          notify: other
      rescue:
        - command: init-retry
  handlers:
    - name: restart kubelet
      command: handler-kubelet
    - name: other
      command: handler-other
`,
      { pool },
    );
    expect(pool.execs('h1')).toEqual(['init-1st', 'own', 'handler-kubelet', 'handler-other']);
    expect(pool.execs('h2')).toEqual(['init-1st', 'init-retry', 'handler-kubelet']);
    expect(summary.exitCode).toBe(0);
  });

  it('a block notify naming no handler is reported at the block keyword', async () => {
    const { summary, ev } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - notify: restart kubelett
      block:
        - command: x
  handlers:
    - name: restart kubelet
      command: y
`);
    expect(summary.exitCode).toBe(4);
    expect(ev.of('warning')[0]?.msg).toMatch(/site\.yml:5:15: `notify` names no handler of this play: `restart kubelett` — did you mean `restart kubelet`\?/);
  });
});
