import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runYaml, tmpTree } from './helpers.js';

/** Running (a process that was killed may linger as a zombie until its new parent reaps it). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

describe('timeout: (task keyword)', () => {
  it('fails the task on that host with "timed out after N s" and stops the command (a real local process)', async () => {
    const dir = tmpTree({});
    const { ev, summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  connection: local
  tasks:
    - name: hangs
      shell: echo $$ > ${dir}/pid.{{ inventory_hostname }}; exec sleep 60
      timeout: 1
    - name: never reached
      command: "true"
`,
      { inventory: 'h1\n' },
    );
    expect(summary.exitCode).not.toBe(0);
    const r = ev.of('host_result').find((e) => e.task === 'hangs');
    expect(r?.status).toBe('failed');
    expect(r?.msg).toMatch(/^timed out after 1 s: the shell action failed to execute in the expected time frame \(1\) and was terminated/);
    expect(ev.of('host_result').some((e) => e.task === 'never reached')).toBe(false);
    const pid = Number(readFileSync(join(dir, 'pid.h1'), 'utf8').trim());
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  it('a command that ends in time is unaffected; a template value and a play-level timeout are inherited', async () => {
    const { ev, summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  connection: local
  timeout: "{{ limit }}"
  vars: { limit: 30 }
  tasks:
    - command: echo quick
      register: q
    - assert: { that: [q.stdout == 'quick'] }
`,
      { inventory: 'h1\n' },
    );
    expect(summary.exitCode).toBe(0);
    expect(ev.of('host_result').every((e) => e.status !== 'failed')).toBe(true);
  });

  it('ignore_errors lets the play go on; a bad value names the keyword', async () => {
    const { ev, summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  connection: local
  tasks:
    - command: sleep 30
      timeout: 1
      ignore_errors: true
      register: slow
    - assert: { that: [slow.failed, "'timed out' in slow.msg"] }
    - command: "true"
      timeout: "{{ 'soon' }}"
`,
      { inventory: 'h1\n' },
    );
    const results = ev.of('host_result');
    expect(results[0]?.status).toBe('failed');
    expect(results[0]?.ignored).toBe(true);
    expect(results[1]?.status).toBe('ok');
    expect(results[2]?.msg).toMatch(/timeout: "soon" is not a whole number of seconds/);
    expect(summary.exitCode).not.toBe(0);
  });
});
