import { describe, expect, it } from 'vitest';
import { runYaml } from './helpers.js';

const files = {
  'inc.yml': '- command: echo inc-a\n- command: echo inc-b\n  when: two | default(true)\n',
  'roles/web/tasks/main.yml': '- command: echo web-main\n',
  'roles/web/tasks/extra.yml': '- command: echo web-extra {{ port }}\n',
};

describe('include_tasks / include_role: apply and register', () => {
  it('apply: tags reach the included tasks, so --tags selects them', async () => {
    const { pool, summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks:
        file: inc.yml
        apply: { tags: [deploy] }
      tags: always
    - command: echo untagged
`,
      { inventory: 'h1\n', files, tags: ['deploy'] },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo inc-a', 'echo inc-b']);
  });

  it('apply: become and a when evaluated for each included task', async () => {
    const { pool, summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  tasks:
    - include_role:
        name: web
        tasks_from: extra
        apply:
          become: true
          become_user: www
          when: inventory_hostname != 'h2'
      vars: { port: 8080 }
`,
      { inventory: 'h1\nh2\n', files },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo web-extra 8080']);
    expect(pool.execs('h2')).toEqual([]);
    const call = pool.conns.get('h1')?.calls.find((c) => c.kind === 'exec');
    expect(call?.opts).toMatchObject({ become: true });
  });

  it('register on an include: {include, include_args}, skipped, and a loop\'s results', async () => {
    const { pool, summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: inc.yml
      register: one
      vars: { two: false }
    - include_tasks: inc.yml
      when: false
      register: skipped_inc
    - include_role: { name: web }
      loop: [a, b]
      register: looped
    - command: echo {{ one.include }} {{ one.changed }} {{ skipped_inc is skipped }} {{ looped.results | map(attribute='item') | join(',') }} {{ looped.results[0].include_args.name }}
`,
      { inventory: 'h1\n', files },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo inc-a', 'echo web-main', 'echo web-main', 'echo inc.yml False True a,b web']);
  });

  it('a skipped include registers the skip reason in words, as a skipped task does', async () => {
    const { pool, summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: inc.yml
      when: two is defined
      register: inc
    - command: echo never
      when: two is defined
      register: task
    - command: echo {{ inc.skip_reason }} / {{ task.skip_reason }}
`,
      { inventory: 'h1\n', files },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo Conditional result was False: two is defined / Conditional result was False: two is defined']);
  });

  it('apply refuses what is not a block keyword, with its position', async () => {
    await expect(
      runYaml(
        `
- hosts: all
  tasks:
    - include_tasks: { file: inc.yml, apply: { tagz: [x] } }
`,
        { inventory: 'h1\n', files },
      ),
    ).rejects.toThrow(/site\.yml:4:\d+: unknown apply keyword `tagz` — did you mean `tags`\?/);
  });
});
