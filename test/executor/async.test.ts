import { describe, expect, it } from 'vitest';
import { FakePool, runYaml, tmpTree } from './helpers.js';
import { join } from 'node:path';
import { readPlaybook } from '../../src/playbook/index.js';

describe('async / poll (the lab test runs them over SSH: keywords-lab.test.ts)', () => {
  it('a plan shows the background start of a poll-0 task; the command itself is inside it', async () => {
    const { ev } = await runYaml(
      `
- hosts: all
  gather_facts: false
  tasks:
    - shell: systemctl start etcd
      async: "{{ 30 * 2 }}"
      poll: 0
`,
      { check: true },
    );
    const steps = ev.of('host_plan').flatMap((p) => p.steps ?? []);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      expect(s.description).toMatch(/^start in the background as job j\d{15} \(at most 60 s\)/);
      expect(s.text).toContain('setsid sh -c');
      expect(s.text).toContain('timeout -k 5 60 sh -c');
      expect(s.text).toContain('systemctl start etcd');
    }
  });

  it('poll 0 on a module that is not one command: refused at load, at the poll keyword', async () => {
    const dir = tmpTree({ 'site.yml': '- hosts: all\n  tasks:\n    - copy: { content: x, dest: /tmp/x }\n      async: 10\n      poll: 0\n' });
    const { errors } = await readPlaybook(join(dir, 'site.yml'));
    expect(errors.map((e) => [e.src?.line, e.message])).toEqual([[5, '`poll: 0` (a job left running in the background) is not available for `copy`']]);
  });

  it('async: 0 is an ordinary task, run in the foreground (as Ansible)', async () => {
    const pool = new FakePool();
    const { summary } = await runYaml('- hosts: all\n  gather_facts: false\n  tasks:\n    - command: x\n      async: 0\n', { pool });
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['x']);
  });
});
