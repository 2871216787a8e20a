import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LifeboatErrors } from '../errors.js';
import { renderValue } from '../vars/index.js';
import { loadPlaybook, validate } from './index.js';
import type { ActionTask, Play } from './types.js';

const root = mkdtempSync(join(tmpdir(), 'lifeboat-playbook-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Write files into a fresh directory; returns the path of `site.yml` in it. */
function project(files: Record<string, string>): string {
  const dir = join(root, String(n++));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, 'site.yml');
}

async function errorsOf(site: string): Promise<Array<[number | undefined, string, string | undefined]>> {
  try {
    await loadPlaybook(site);
  } catch (e) {
    if (e instanceof LifeboatErrors) return e.errors.map((x) => [x.src?.line, x.message, x.hint]);
    throw e;
  }
  return [];
}

const play = (tasks: string) => `- hosts: all\n  tasks:\n${tasks}`;

describe('task keywords', () => {
  it('rejects Ansible keywords Lifeboat leaves out, saying what to do instead', async () => {
    const site = project({ 'site.yml': play('    - local_action: command echo\n') });
    expect(await errorsOf(site)).toContainEqual([
      3,
      '`local_action` is not supported by Lifeboat',
      'write the module as the key and add `delegate_to: localhost`',
    ]);
  });

  it('allows listen on handlers only', async () => {
    const site = project({ 'site.yml': play('    - command: echo\n      listen: x\n') });
    expect(await errorsOf(site)).toEqual([[4, '`listen` is for handlers only', 'move this task under `handlers:`']]);
  });

  it('allows one loop per task', async () => {
    const site = project({ 'site.yml': play('    - command: echo\n      loop: [1]\n      with_items: [2]\n') });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([
      [5, 'a task can have only one loop, and this one has `loop` and `with_items`'],
    ]);
  });

  it('takes a boolean or a template for become / run_once / no_log / any_errors_fatal, and refuses other strings', async () => {
    const ok = project({ 'site.yml': play('    - command: echo\n      become: "{{ b }}"\n      run_once: "{{ r }}"\n      no_log: "{{ not x }}"\n      any_errors_fatal: "{{ f | default(true) }}"\n') });
    expect(await errorsOf(ok)).toEqual([]);
    const site = project({ 'site.yml': play('    - command: echo\n      become: sometimes\n') });
    const [e] = await errorsOf(site);
    expect(e?.[0]).toBe(4);
    expect(e?.[1]).toBe('`become` must be a boolean ("yes"/"no"/true/false…) or a template, got the string "sometimes"');
  });

  it('says when a task names no module', async () => {
    const site = project({ 'site.yml': play('    - name: nothing\n') });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([[3, 'this task names no module']]);
  });

  it('rejects loops on a block', async () => {
    const site = project({ 'site.yml': play('    - block:\n        - command: echo\n      loop: [1]\n') });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([[5, 'unknown block keyword `loop`']]);
  });

  it('rejects free text for a module that takes key=value arguments', async () => {
    const site = project({ 'site.yml': play('    - copy: dest=/x oops\n') });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([
      [3, 'module `copy` takes key=value arguments, and `oops` is not one'],
    ]);
  });

  it('points into a fully-qualified include_role', async () => {
    const site = project({ 'site.yml': play('    - ansible.builtin.include_role:\n        name: x\n        task_from: y\n') });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([
      [5, 'unknown option `task_from` in `include_role` — did you mean `tasks_from`?'],
    ]);
  });

  it('suggests the nearest include_role option', async () => {
    const site = project({ 'site.yml': play('    - include_role:\n        name: x\n        task_from: y\n') });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([
      [5, 'unknown option `task_from` in `include_role` — did you mean `tasks_from`?'],
    ]);
  });
});

describe('normalised values', async () => {
  const site = project({
    'site.yml': play(
      [
        '    - name: a',
        '      command: echo',
        '      when: "{{ x }}"',
        '      become: "yes"',
        '      until: r.rc == 0',
        '      tags: "a, b"',
        '    - name: b',
        '      ansible.builtin.include_tasks: other.yml',
        '      become: yes',
        '',
      ].join('\n'),
    ),
  });
  const pb = await loadPlaybook(site);
  const [a, b] = (pb.plays[0] as Play).tasks;

  it('strips {{ }} from conditions, reads "yes", and gives until Ansible’s default retries', () => {
    expect(a).toMatchObject({ when: ['x'], become: true, until: 'r.rc == 0', retries: 3, delay: 5, tags: ['a', 'b'] });
    expect((a as ActionTask).module).toBe('command');
  });

  it('reads fully-qualified include_tasks, and YAML 1.1 booleans', () => {
    expect(b).toMatchObject({ kind: 'include', what: 'tasks', target: 'other.yml', become: true });
  });
});

describe('files', () => {
  it('finds an import_tasks cycle', async () => {
    const site = project({
      'site.yml': play('    - import_tasks: a.yml\n'),
      'a.yml': '- import_tasks: b.yml\n',
      'b.yml': '- import_tasks: a.yml\n',
    });
    const [e] = await errorsOf(site);
    expect(e?.[0]).toBe(1);
    expect(e?.[1]).toMatch(/^import cycle: .*site\.yml → .*a\.yml → .*b\.yml → .*a\.yml$/);
  });

  it('finds an import_playbook cycle and reads the fully-qualified form', async () => {
    const site = project({
      'site.yml': '- ansible.builtin.import_playbook: other.yml\n',
      'other.yml': '- import_playbook: site.yml\n',
    });
    const [e] = await errorsOf(site);
    expect(e?.[0]).toBe(1);
    expect(e?.[1]).toMatch(/^import_playbook cycle: .*site\.yml → .*other\.yml → .*site\.yml$/);
  });

  it('points a missing vars file at its entry', async () => {
    const site = project({ 'site.yml': '- hosts: all\n  vars_files:\n    - nope.yml\n' });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([[3, `cannot read file ${join(dirname(site), 'nope.yml')}`]]);
  });

  it('reports tasks written as a mapping once', async () => {
    const site = project({ 'site.yml': '- hosts: all\n  tasks:\n    name: x\n    command: echo\n' });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([[3, '`tasks` must be a list or empty, got a mapping']]);
  });

  it('reports a problem in a role used by two plays once', async () => {
    const site = project({
      'site.yml': '- hosts: all\n  roles: [r]\n- hosts: all\n  roles: [r]\n',
      'roles/r/tasks/main.yml': '- comand: echo\n',
    });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([[1, 'unknown module `comand` — did you mean `command`?']]);
  });

  it('says so when given a task file instead of a playbook, once, with how to run it', async () => {
    const site = project({ 'site.yml': '- name: a task\n  command: echo\n- import_role:\n    name: r\n' });
    const errs = await errorsOf(site);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.[1]).toContain('this is a list of tasks, not a playbook');
  });

  it('needs hosts on a play', async () => {
    const site = project({ 'site.yml': '- name: x\n  tasks: []\n' });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([[1, 'a play needs `hosts`']]);
  });

  it('runs a role used twice with the same parameters once, unless allow_duplicates', async () => {
    const site = project({
      'site.yml': '- hosts: all\n  roles: [r, r, {role: r, p: 1}, d, d]\n',
      'roles/r/tasks/main.yml': '- command: echo r\n',
      'roles/d/tasks/main.yml': '- command: echo d\n',
      'roles/d/meta/main.yml': 'allow_duplicates: true\n',
    });
    const [p] = (await loadPlaybook(site)).plays;
    expect(p?.tasks.map((t) => t.kind === 'action' && [t.args._raw_params, t.role?.params])).toEqual([
      ['echo r', {}],
      ['echo r', { p: 1 }],
      ['echo d', {}],
      ['echo d', {}],
    ]);
  });
});

describe('templated with_items / with_dict, rendered by the vars layer', async () => {
  const site = project({
    'site.yml': play(
      [
        '    - command: echo {{ item }}',
        '      with_items: "{{ nested }}"',
        '    - command: echo {{ item.key }}',
        '      with_dict: "{{ ports }}"',
        '',
      ].join('\n'),
    ),
  });
  const [items, dict] = ((await loadPlaybook(site)).plays[0] as Play).tasks as [ActionTask, ActionTask];

  it('with_items flattens one level, as Ansible does', () => {
    expect(items.loop).toBe('{{ (nested) | flatten(levels=1) }}');
    expect(renderValue(items.loop, { nested: [[1, [2]], 3] })).toEqual([1, [2], 3]);
  });

  it('with_dict gives key/value items', () => {
    expect(renderValue(dict.loop, { ports: { client: 2379, peer: 2380 } })).toEqual([
      { key: 'client', value: 2379 },
      { key: 'peer', value: 2380 },
    ]);
  });
});

describe('documented details', () => {
  it('reads a role given as a path, and lets notify name `role : handler`', async () => {
    const site = project({
      'site.yml': '- hosts: all\n  roles: [./lib/r]\n  tasks:\n    - command: echo\n      notify: "r : bounce"\n',
      'lib/r/handlers/main.yml': '- name: bounce\n  command: echo bounce\n',
    });
    const [p] = (await loadPlaybook(site)).plays;
    expect(p?.roles.map((r) => [r.name, r.path])).toEqual([['r', join(dirname(site), 'lib/r')]]);
    expect(await validate({ playbooks: [site] })).toEqual([]);
  });

  it('rejects a loop on an import', async () => {
    const site = project({ 'site.yml': play('    - import_tasks: x.yml\n      loop: [1]\n'), 'x.yml': '[]\n' });
    expect((await errorsOf(site)).map((e) => e.slice(0, 2))).toEqual([[4, '`import_tasks` is static and cannot loop']]);
  });

  it('gives imported plays the import’s vars under their own and adds its tags', async () => {
    const site = project({
      'site.yml': '- import_playbook: other.yml\n  vars: { a: 1, b: 1 }\n  tags: [t]\n',
      'other.yml': '- hosts: all\n  vars: { b: 2 }\n  tags: [own]\n',
    });
    const [p] = (await loadPlaybook(site)).plays;
    expect([p?.vars, p?.tags]).toEqual([{ a: 1, b: 2 }, ['t', 'own']]);
  });
});

describe('secrets stay out of messages', () => {
  it('does not show the value of a secret-named argument or of any argument of a no_log task', async () => {
    const site = project({
      'site.yml': play(
        [
          '    - etcd_status:',
          '        token: 73571',
          '    - copy: { dest: /x, content: hi, backup: hunter2 }',
          '      no_log: true',
          '    - copy: dest=/x hunter2',
          '      no_log: true',
          '',
        ].join('\n'),
      ),
    });
    const errs = await errorsOf(site);
    expect(errs.map((e) => e.slice(0, 2))).toEqual([
      [4, 'argument `token` of module `etcd_status` must be a string, got a number'],
      [5, 'argument `backup` of module `copy` must be a boolean (true/false), got a string'],
      [7, 'module `copy` takes key=value arguments, and a word is not one'],
    ]);
    expect(JSON.stringify(errs)).not.toMatch(/73571|hunter2/);
  });
});

describe('refused at load, with the place', () => {
  it('an empty playbook, or one that is an empty list', async () => {
    for (const text of ['', '# only a comment\n', '[]\n']) {
      const site = project({ 'site.yml': text });
      expect((await errorsOf(site)).map((e) => e[1])).toEqual(['the playbook is empty: it has no plays']);
    }
  });

  it('an unclosed template in a module argument, naming its line', async () => {
    const site = project({ 'site.yml': play('    - name: ok\n      debug: msg="{{ fine }}"\n    - command: echo {{ foo\n') });
    const errs = await errorsOf(site);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.[0]).toBe(5);
  });

  it('a broken expression in when, naming its line', async () => {
    const site = project({ 'site.yml': play('    - command: echo\n      when: x ==\n') });
    const errs = await errorsOf(site);
    expect(errs.map((e) => e[0])).toEqual([4]);
  });

  it('an unclosed template or a port that is no number in play vars, naming line and column', async () => {
    const text = '- hosts: all\n  vars:\n    greeting: "{{ foo"\n    ansible_port: twenty-two\n    ok_port: "{{ 22 }}"\n  tasks:\n    - command: echo\n';
    const errs = await errorsOf(project({ 'site.yml': text }));
    expect(errs.map((e) => e.slice(0, 2))).toEqual([
      [3, 'template syntax error: expected variable end — in template "{{ foo"'],
      [4, 'ansible_port "twenty-two" is not a port number'],
    ]);
  });

  it('accepts a port number or a template for it in play vars', async () => {
    for (const port of ['22', '"2222"', '"{{ p }}"']) {
      const site = project({ 'site.yml': `- hosts: all\n  vars:\n    ansible_port: ${port}\n  tasks:\n    - command: echo\n` });
      expect(await errorsOf(site)).toEqual([]);
    }
  });

  it('a port that is no number in task, block and include vars, vars_files and role vars, naming file and line', async () => {
    const site = project({
      'site.yml': [
        '- hosts: all',
        '  vars_files: [vf.yml]',
        '  roles: [r]',
        '  tasks:',
        '    - command: echo',
        '      vars:',
        '        ansible_port: twenty-two',
        '    - block:',
        '        - command: echo',
        '      vars: { ansible_ssh_port: 0 }',
        '    - include_tasks: t.yml',
        '      vars:',
        '        ansible_port: 22.5',
        '',
      ].join('\n'),
      'vf.yml': 'x: 1\nansible_port: "twenty-two"\n',
      't.yml': '- command: echo\n',
      'roles/r/tasks/main.yml': '- command: echo\n',
      'roles/r/defaults/main.yml': 'ansible_port: none\n',
    });
    let got: string[] = [];
    try {
      await loadPlaybook(site);
    } catch (e) {
      if (!(e instanceof LifeboatErrors)) throw e;
      got = e.errors.map((x) => `${x.src?.file.slice(dirname(site).length)}:${x.src?.line} ${x.message}`);
    }
    expect(got.sort()).toEqual([
      '/roles/r/defaults/main.yml:1 ansible_port "none" is not a port number',
      '/site.yml:10 ansible_ssh_port 0 is not a port number',
      '/site.yml:13 ansible_port 22.5 is not a port number',
      '/site.yml:7 ansible_port "twenty-two" is not a port number',
      '/vf.yml:2 ansible_port "twenty-two" is not a port number',
    ]);
  });

  it('accepts well-formed templates and expressions', async () => {
    const site = project({ 'site.yml': play('    - command: echo {{ a | default("x") }}\n      when: [a is defined, "{{ b }}"]\n      changed_when: false\n') });
    expect(await errorsOf(site)).toEqual([]);
  });
});

describe('role vars directories', () => {
  it('reads every file of defaults/main/ and vars/main/, sorted by name, later files winning (as Ansible)', async () => {
    const site = project({
      'site.yml': '- hosts: all\n  roles: [r]\n',
      'roles/r/tasks/main.yml': '- debug: msg=hi\n',
      'roles/r/defaults/main/10-base.yml': 'a: base\nb: base\n',
      'roles/r/defaults/main/20-over.yaml': 'b: over\n',
      'roles/r/defaults/main/sub/30-deep.yml': 'd: deep\n',
      'roles/r/defaults/main/.hidden.yml': 'a: hidden\n',
      'roles/r/defaults/main/notes.txt': 'a: text\n',
      'roles/r/defaults/main/old.yml~': 'a: backup\n',
      'roles/r/vars/main/x.json': '{"c": "json"}\n',
    });
    const pb = await loadPlaybook(site);
    const role = pb.plays[0]?.roles[0];
    expect(role?.defaults).toEqual({ a: 'base', b: 'over', d: 'deep' });
    expect(role?.vars).toEqual({ c: 'json' });
  });

  it('prefers defaults/main.yml to a defaults/main/ directory, as Ansible does', async () => {
    const site = project({
      'site.yml': '- hosts: all\n  roles: [r]\n',
      'roles/r/tasks/main.yml': '- debug: msg=hi\n',
      'roles/r/defaults/main.yml': 'a: file\n',
      'roles/r/defaults/main/x.yml': 'a: dir\n',
    });
    expect((await loadPlaybook(site)).plays[0]?.roles[0]?.defaults).toEqual({ a: 'file' });
  });
});
