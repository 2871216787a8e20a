import { describe, expect, it } from 'vitest';
import { runYaml } from './helpers.js';

describe('as ansible-playbook does (issue #10)', () => {
  it('a play whose pattern names no host or group warns and is skipped; the next play runs', async () => {
    const { summary, ev, pool } = await runYaml(`
- hosts: made_at_runtime
  gather_facts: false
  tasks:
    - command: never-here
- hosts: h1
  gather_facts: false
  tasks:
    - command: runs
`);
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['runs']);
    const warnings = ev.events.filter((e) => e.type === 'warning').map((e) => (e as { msg: string }).msg);
    expect(warnings.some((w) => w.includes('could not match "made_at_runtime"'))).toBe(true);
  });

  it('an unknown name inside a pattern is ignored, the rest of the pattern still selects hosts', async () => {
    const { pool } = await runYaml(`
- hosts: h2:nosuchgroup
  gather_facts: false
  tasks:
    - command: on-h2
`);
    expect(pool.execs('h2')).toEqual(['on-h2']);
  });

  it('the implicit localhost gets the vars of [all:vars]', async () => {
    const { summary, ev } = await runYaml(
      `
- hosts: localhost
  gather_facts: false
  tasks:
    - debug:
        msg: "base is {{ base_dir }}"
`,
      { inventory: 'h1\n\n[all:vars]\nbase_dir=/etc/kubeasz\n' },
    );
    expect(summary.exitCode).toBe(0);
    const r = ev.events.find((e) => e.type === 'host_result' && (e as { host: string }).host === 'localhost') as { msg?: string } | undefined;
    expect(r?.msg).toBe('base is /etc/kubeasz');
  });

  it('debug: var=x shows "x": value, and the registered result holds only the variable (as Ansible)', async () => {
    const { summary, ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  vars:
    base_dir: /etc/kubeasz
    nodes: [a, b]
  tasks:
    - debug: var=base_dir
      register: r
    - debug:
        var: nodes
    - debug:
        msg: "{{ r | to_json }}"
`);
    expect(summary.exitCode).toBe(0);
    const msgs = ev.events.filter((e) => e.type === 'host_result').map((e) => (e as { msg?: string }).msg);
    expect(msgs[0]).toBe('"base_dir": "/etc/kubeasz"');
    expect(msgs[1]).toBe('"nodes": [\n  "a",\n  "b"\n]');
    expect(JSON.parse(msgs[2] ?? '{}')).toEqual({ changed: false, base_dir: '/etc/kubeasz' });
  });
});
