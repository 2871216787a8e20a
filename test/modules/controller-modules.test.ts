import { describe, expect, it } from 'vitest';
import { runYaml } from '../executor/helpers.js';

/** include_vars and group_by run on the controller only: the walk over fake connections is their real run. */
describe('include_vars', () => {
  it('loads a file (free form) above play vars and a dir into one name; plan mode too', async () => {
    const files = {
      'vars/main.yml': 'x: from_file\nlist: [1, 2]\n',
      'conf/a.yml': 'a: 1\nshared: a\n',
      'conf/b.yaml': 'b: 2\nshared: b\n',
      'conf/skip.txt': 'nope',
      'conf/sub/c.yml': 'c: 3\n',
    };
    const yaml = `
- hosts: h1
  gather_facts: false
  vars: { x: play }
  tasks:
    - include_vars: main.yml
    - ansible.builtin.include_vars: { dir: conf, name: conf, ignore_unknown_extensions: true, depth: 1 }
      register: r
    - command: "echo {{ x }} {{ list | length }} {{ conf.shared }} {{ conf.c | default('none') }}"
`;
    for (const check of [false, true]) {
      const { summary, ev, pool } = await runYaml(yaml, { files, check, inventory: 'h1\n' });
      expect(summary.exitCode).toBe(0);
      if (!check) expect(pool.execs('h1')).toEqual(['echo from_file 2 b none']);
      else expect(ev.of('host_plan').at(-1)?.steps.map((s) => s.text)).toEqual(['echo from_file 2 b none']);
    }
  });

  it('a missing file fails the host naming where it looked; a non-mapping file is an error', async () => {
    const { summary, ev } = await runYaml('- hosts: h1\n  gather_facts: false\n  tasks:\n    - include_vars: nope.yml\n', { inventory: 'h1\n' });
    expect(summary.exitCode).not.toBe(0);
    expect(JSON.stringify(ev.events)).toContain('could not find src \\"nope.yml\\"');
    const bad = await runYaml('- hosts: h1\n  gather_facts: false\n  tasks:\n    - include_vars: { file: l.yml }\n', {
      inventory: 'h1\n',
      files: { 'l.yml': '- a\n- b\n' },
    });
    expect(bad.summary.exitCode).not.toBe(0);
    expect(JSON.stringify(bad.ev.events)).toContain('must be a mapping');
  });

  it('unknown arguments are refused at load with the position', async () => {
    await expect(
      runYaml('- hosts: h1\n  gather_facts: false\n  tasks:\n    - include_vars: { fle: a.yml }\n', { inventory: 'h1\n' }),
    ).rejects.toThrow(/site\.yml:4:\d+.*include_vars.*fle/s);
  });
});

describe('group_by', () => {
  it('makes groups later plays target; groups/group_names see them; second time no change', async () => {
    const yaml = `
- hosts: all
  gather_facts: false
  tasks:
    - group_by: { key: "role_{{ kind }}", parents: [by_role] }
    - group_by: { key: "role_{{ kind }}" }
      register: again
    - command: "echo {{ again.changed }} {{ group_names | join(',') }}"
- hosts: role_db
  gather_facts: false
  tasks:
    - command: "echo db {{ groups.role_db | join(',') }} {{ groups.by_role | join(',') }}"
- hosts: by_role:!role_db
  gather_facts: false
  tasks:
    - command: echo other
`;
    const inventory = 'h1 kind=db\nh2 kind=web\nh3 kind=db\n';
    const { summary, pool } = await runYaml(yaml, { inventory });
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo False by_role,role_db', 'echo db h1,h3 h1,h3,h2']);
    expect(pool.execs('h2')).toEqual(['echo False by_role,role_web', 'echo other']);
    expect(pool.execs('h3')).toEqual(['echo False by_role,role_db', 'echo db h1,h3 h1,h3,h2']);
    const plan = await runYaml(yaml, { inventory, check: true });
    expect(plan.summary.exitCode).toBe(0);
    const planned = plan.ev.of('host_plan').filter((p) => p.steps.length).map((p) => `${p.host}:${p.steps[0]?.text}`);
    expect(planned).toContain('h2:echo other');
    expect(planned).toContain('h3:echo db h1,h3 h1,h3,h2');
  });

  it('key is required (file:line:col)', async () => {
    await expect(runYaml('- hosts: h1\n  gather_facts: false\n  tasks:\n    - group_by: { parents: x }\n', { inventory: 'h1\n' })).rejects.toThrow(
      /site\.yml:4:\d+.*group_by.*key/s,
    );
  });
});
