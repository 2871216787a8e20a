import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRole, readPlaybook } from './index.js';
import type { BlockTask, IncludeTask } from './types.js';

/** A role with a second file in each of tasks/, vars/, defaults/, handlers/ (as kubespray's containerd `reset`). */
function tree(): string {
  const d = mkdtempSync(join(tmpdir(), 'lb-role-from-'));
  const r = join(d, 'roles/engine');
  for (const sub of ['tasks', 'vars', 'defaults', 'handlers']) {
    mkdirSync(join(r, sub), { recursive: true });
    writeFileSync(join(r, sub, 'main.yml'), sub === 'tasks' || sub === 'handlers' ? `- name: ${sub} main\n  debug: msg=main\n` : `which_${sub}: main\n`);
    writeFileSync(join(r, sub, 'reset.yml'), sub === 'tasks' || sub === 'handlers' ? `- name: ${sub} reset\n  debug: msg=reset\n` : `which_${sub}: reset\n`);
  }
  return d;
}

describe('include_role / import_role: tasks_from, vars_from, defaults_from, handlers_from', () => {
  it('import_role reads each named file instead of main', async () => {
    const d = tree();
    const site = join(d, 'site.yml');
    writeFileSync(site, '- hosts: all\n  tasks:\n    - import_role:\n        name: engine\n        tasks_from: reset\n        handlers_from: reset\n        vars_from: reset\n        defaults_from: reset\n');
    const { playbook, errors } = await readPlaybook(site);
    expect(errors).toEqual([]);
    const play = playbook.plays[0];
    const block = play?.tasks[0] as BlockTask | undefined;
    const tasks = block?.kind === 'block' ? block.block : play?.tasks;
    expect(tasks?.map((t) => t.name)).toEqual(['tasks reset']);
    expect(play?.handlers.map((t) => t.name)).toEqual(['handlers reset']);
    const role = play?.roles.find((r) => r.name === 'engine');
    expect([role?.vars, role?.defaults]).toEqual([{ which_vars: 'reset' }, { which_defaults: 'reset' }]);
  });

  it('include_role keeps the fields for the run, and loadRole honours them', async () => {
    const d = tree();
    const site = join(d, 'site.yml');
    writeFileSync(site, '- hosts: all\n  tasks:\n    - include_role:\n        name: engine\n        vars_from: reset\n');
    const { playbook } = await readPlaybook(site);
    const inc = playbook.plays[0]?.tasks[0] as IncludeTask;
    expect(inc.from).toEqual({ vars: 'reset' });
    const got = await loadRole('engine', { playbookDir: d, from: { vars: 'reset', handlers: 'reset' } });
    expect(got.tasks.map((t) => t.name)).toEqual(['tasks main']);
    expect(got.handlers.map((t) => t.name)).toEqual(['handlers reset']);
    expect([got.role.vars, got.role.defaults]).toEqual([{ which_vars: 'reset' }, { which_defaults: 'main' }]);
  });

  it('a named file that does not exist is an error at the role use, naming the path looked for', async () => {
    const d = tree();
    const site = join(d, 'site.yml');
    writeFileSync(site, '- hosts: all\n  tasks:\n    - import_role:\n        name: engine\n        defaults_from: nope\n');
    const { errors } = await readPlaybook(site);
    expect(errors.map((e) => e.message)).toEqual(['role `engine` has no defaults file `nope`']);
    expect(errors[0]?.hint).toContain(join(d, 'roles/engine/defaults/nope.yml'));
    expect(errors[0]?.src).toMatchObject({ file: site, line: 4 });
  });
});
