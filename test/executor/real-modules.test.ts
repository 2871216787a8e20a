import { describe, expect, it } from 'vitest';
import { FakePool, runYaml } from './helpers.js';

/** The executor with the project's controller-side modules (meta, debug, assert, fail, set_fact, pause). */
describe('controller modules through the walk', () => {
  it('meta: flush_handlers / end_host / end_play', async () => {
    const { pool } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - command: change
      notify: h
    - meta: flush_handlers
    - command: after-flush
    - meta: end_host
      when: inventory_hostname == 'h2'
    - command: not-on-h2
    - meta: end_play
    - command: nobody
  handlers:
    - name: h
      command: handler
`);
    expect(pool.execs('h1')).toEqual(['change', 'handler', 'after-flush', 'not-on-h2']);
    expect(pool.execs('h2')).toEqual(['change', 'handler', 'after-flush']);
  });

  it('debug, assert, fail: messages and failures as results; nothing connects', async () => {
    const pool = new FakePool();
    const { ev, summary } = await runYaml(`
- hosts: h1,h2
  gather_facts: false
  vars: { members: 3 }
  tasks:
    - debug: { msg: "members={{ members }}" }
    - assert:
        that: [members is odd]
    - fail: { msg: "h2 is not ready" }
      when: inventory_hostname == 'h2'
    - debug: { msg: after }
`, { pool });
    expect(pool.opened).toEqual([]);
    expect(summary.exitCode).toBe(2);
    const r = ev.of('host_result');
    expect(r.filter((x) => x.task === 'debug' && x.host === 'h1').map((x) => x.msg)).toEqual(['members=3', 'after']);
    expect(r.find((x) => x.task === 'fail' && x.host === 'h2')).toMatchObject({ status: 'failed', msg: 'h2 is not ready' });
    expect(r.filter((x) => x.host === 'h2').map((x) => x.task)).toEqual(['debug', 'assert', 'fail']);
  });

  it('plan mode: a failing assert on known values is "fail"; on an unknown register it is "unknown"', async () => {
    const { ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - command: etcdctl version
      register: v
    - assert: { that: ["'3.5' in v.stdout"] }
    - assert: { that: [1 == 2], fail_msg: "one is not two" }
`, { check: true });
    expect(ev.of('host_plan').map((p) => [p.task, p.status])).toEqual([
      ['command', 'unknown'],
      ['assert', 'unknown'],
      ['assert', 'fail'],
    ]);
    expect(ev.of('host_plan')[2]?.reason).toMatch(/one is not two/);
  });
});
