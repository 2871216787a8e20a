import { describe, expect, it } from 'vitest';
import { FakePool, runYaml } from './helpers.js';

/** Plan mode must not run anything: every command a fake host saw must be one of the modules' probes. */
function onlyProbes(pool: FakePool): void {
  for (const [, c] of pool.conns) for (const cmd of c.execs) expect(cmd).toMatch(/^(test -e|uname -n)/);
}

describe('plan mode (check: true)', () => {
  it('the same walk, host_plan per task × host with status, masked steps, destructive marks, diff; nothing runs', async () => {
    const pool = new FakePool((c) => c.on('test -e /present', { rc: 0 }).on('test -e', { rc: 1 }));
    const { ev, summary } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - name: ensure
      xt_ensure: { path: /x, token: tok-secret-123 }
    - name: already there
      xt_ensure: { path: /present }
    - name: cmd
      command: systemctl restart etcd
    - name: skipped
      command: nope
      when: inventory_hostname == 'h9'
`, { pool, check: true, diff: true });
    onlyProbes(pool);
    expect(summary.exitCode).toBe(0);
    expect(ev.of('host_result')).toEqual([]);
    const plans = ev.of('host_plan').filter((p) => p.host === 'h1');
    expect(plans.map((p) => [p.task, p.status])).toEqual([
      ['ensure', 'change'],
      ['already there', 'ok'],
      ['cmd', 'unknown'],
      ['skipped', 'skip'],
    ]);
    const [ensure, , cmd, skipped] = plans;
    expect(ensure?.steps).toEqual([{ kind: 'exec', text: 'touch /x --token=********', destructive: 'replaces /x' }]);
    expect(ensure?.destructive).toEqual(['replaces /x']);
    expect(ensure?.diff).toEqual([{ path: '/x', before: '', after: 'created\n' }]);
    expect(ensure?.batchIndex).toBe(0);
    expect(cmd?.steps.map((s) => s.text)).toEqual(['systemctl restart etcd']);
    expect(skipped?.reason).toBe("Conditional result was False: inventory_hostname == 'h9'");
    expect(skipped?.why).toEqual({ kind: 'when-false', expr: "inventory_hostname == 'h9'" });
    expect(JSON.stringify(ev.events)).not.toContain('tok-secret-123');
  });

  it('without --diff, no diff in host_plan', async () => {
    const pool = new FakePool((c) => c.on('test -e', { rc: 1 }));
    const { ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - xt_ensure: { path: /x }
`, { pool, check: true });
    expect(ev.of('host_plan')[0]?.diff).toBeUndefined();
  });

  it('a register from a read-only module is known; from a command it is unknown until run — never a crash', async () => {
    const pool = new FakePool((c) => c.on('test -e /data', { rc: c.host === 'h1' ? 0 : 1 }));
    const { ev, summary } = await runYaml(`
- hosts: h1,h2
  gather_facts: false
  tasks:
    - xt_probe: { path: /data }
      register: st
    - name: move aside
      command: mv /data /data.old
      when: st.exists
    - command: etcdctl endpoint status
      register: status
      changed_when: false
    - name: uses status
      command: echo {{ status.stdout }}
    - name: guarded by status
      command: restore
      when: status.rc == 0
    - set_fact: { leader: "{{ status.stdout }}" }
    - name: uses the fact
      command: echo {{ leader }}
`, { pool, check: true });
    onlyProbes(pool);
    expect(summary.exitCode).toBe(0);
    const of = (host: string) => ev.of('host_plan').filter((p) => p.host === host).map((p) => [p.task, p.status, p.reason ?? '']);
    expect(of('h1')).toEqual([
      ['xt_probe', 'ok', ''],
      ['move aside', 'unknown', 'the module cannot tell before running whether it changes anything'],
      ['command', 'ok', ''],
      ['uses status', 'unknown', 'depends on register `status`, unknown until run'],
      ['guarded by status', 'unknown', 'depends on register `status`, unknown until run'],
      ['set_fact', 'unknown', 'depends on register `status`, unknown until run'],
      ['uses the fact', 'unknown', 'depends on register `leader`, unknown until run'],
    ]);
    expect(of('h2')[1]).toEqual(['move aside', 'skip', 'Conditional result was False: st.exists']);
  });

  it('ansible_check_mode is true; check_mode: false still runs nothing in plan mode', async () => {
    const pool = new FakePool((c) => c.on('test -e', { rc: 1 }));
    const { ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - xt_msg: { msg: "{{ ansible_check_mode }}" }
      register: m
    - xt_ensure: { path: "/{{ m.msg }}" }
      check_mode: false
`, { pool, check: true });
    onlyProbes(pool);
    expect(ev.of('host_plan')[1]?.steps[0]?.text).toBe('touch /true');
  });

  it('run_once and delegate_to say where the task runs (runOn); serial gives the batch index', async () => {
    const { ev } = await runYaml(`
- hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - command: snapshot
      run_once: true
    - command: on-controller
      delegate_to: localhost
`, { check: true });
    const p = ev.of('host_plan');
    expect(p.filter((x) => x.task === 'command' && x.steps[0]?.text === 'snapshot').map((x) => [x.host, x.runOn, x.batchIndex])).toEqual([
      ['h1', 'h1', 0],
      ['h3', 'h3', 1],
    ]);
    const copy = p.find((x) => x.host === 'h2' && x.runOn === 'h1');
    expect(copy?.steps).toEqual([]);
    expect(copy?.reason).toMatch(/run_once: runs on h1/);
    expect(p.filter((x) => x.steps[0]?.text === 'on-controller').map((x) => x.runOn)).toEqual(['localhost', 'localhost', 'localhost']);
  });

  it('handlers: planned where a change notifies them, "unknown" where the notifying change is unknown', async () => {
    const pool = new FakePool((c) => c.on('test -e', { rc: 1 }));
    const { ev } = await runYaml(`
- hosts: h1,h2,h3
  gather_facts: false
  tasks:
    - xt_ensure: { path: /conf }
      notify: restart
      when: inventory_hostname == 'h1'
    - command: maybe-changes
      notify: restart
      when: inventory_hostname == 'h3'
  handlers:
    - name: restart
      xt_ensure: { path: /restart-marker }
`, { pool, check: true });
    const h = ev.of('host_plan').filter((p) => p.task === 'restart');
    expect(h.map((p) => [p.host, p.status])).toEqual([
      ['h1', 'change'],
      ['h3', 'unknown'],
    ]);
    expect(h[1]?.reason).toMatch(/runs only if a notifying task reports a change/);
    expect(ev.of('task_start').find((t) => t.task === 'restart')?.handler).toBe(true);
  });

  it('a failure known at plan time is "fail" and the host drops out; exit 2', async () => {
    const { ev, summary } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - xt_msg: { msg: "etcd version too old", fail: true }
    - command: never
`, { check: true });
    expect(ev.of('host_plan').map((p) => [p.status, p.reason])).toEqual([['fail', 'etcd version too old']]);
    expect(summary.exitCode).toBe(2);
  });

  it('offline: no connection is opened; probes are unknown', async () => {
    const pool = new FakePool();
    const { ev } = await runYaml(`
- hosts: h1
  gather_facts: true
  tasks:
    - xt_probe: { path: /x }
    - command: echo hi
`, { pool, check: true, offline: true });
    expect(pool.opened).toEqual([]);
    expect(ev.of('host_plan').map((p) => [p.status, p.reason ?? ''])).toEqual([
      ['unknown', 'offline: the module needs to look at the host'],
      ['unknown', 'offline: the module needs to look at the host'],
      ['unknown', 'the module cannot tell before running whether it changes anything'],
    ]);
  });

  it('offline: a module that needs its host shows its call with the arguments rendered, and a may-delete mark', async () => {
    const pool = new FakePool();
    const { ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  vars: { data: /var/lib/etcd, pw: s3cret-pw }
  tasks:
    - service: name={{ item }} state=stopped
      with_items: [kube-apiserver]
    - file: name={{ data }}/member state=absent
    - copy: { content: "{{ 'snap' }}", dest: /etcd backup/snapshot.db }
    - service: { name: etcd, state: started }
      no_log: true
`, { pool, check: true, offline: true });
    expect(pool.opened).toEqual([]);
    const plans = ev.of('host_plan');
    expect(plans.map((p) => [p.status, p.notes])).toEqual([
      ['unknown', ['service: name=kube-apiserver state=stopped']],
      ['unknown', ['file: name=/var/lib/etcd/member state=absent']],
      ['unknown', ['copy: content=snap dest="/etcd backup/snapshot.db"']],
      ['unknown', ['service: the output has been hidden due to no_log: true']],
    ]);
    expect(plans[1]?.destructive).toEqual(['may delete /var/lib/etcd/member and everything under it (offline: whether it exists is not looked at)']);
    expect(plans.map((p) => p.destructive.length)).toEqual([0, 1, 0, 0]);
  });

  it('offline: a module that catches the refused connection (e.g. as an unreachable member) is still unknown', async () => {
    const pool = new FakePool();
    const { ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - xt_survey: { hosts: [h2, h3] }
      register: survey
    - xt_msg: { msg: "{{ survey.msg }}" }
`, { pool, check: true, offline: true });
    expect(pool.opened).toEqual([]);
    expect(ev.of('host_plan').map((p) => [p.status, p.reason ?? ''])).toEqual([
      ['unknown', 'offline: the module needs to look at the host'],
      ['unknown', 'depends on register `survey`, unknown until run'],
    ]);
  });

  it('an unreachable host in plan mode is a "fail" with the reason; exit 3', async () => {
    const pool = new FakePool();
    pool.down.add('h1');
    const { ev, summary } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - xt_probe: { path: /x }
`, { pool, check: true });
    expect(ev.of('host_plan')[0]).toMatchObject({ status: 'fail' });
    expect(ev.of('host_plan')[0]?.reason).toMatch(/^unreachable: .*cannot connect to h1/);
    expect(summary.exitCode).toBe(3);
  });
});
