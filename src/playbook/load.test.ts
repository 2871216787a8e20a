import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeboatErrors } from '../errors.js';
import { loadPlaybook, loadRole, loadTasksFile, loadVarsFile } from './index.js';
import type { ActionTask, BlockTask, IncludeTask, Play, TaskNode } from './types.js';

const FIX = resolve(import.meta.dirname, '../../test/fixtures/playbooks/good');
const SITE = join(FIX, 'site.yml');

function* walk(nodes: TaskNode[]): Generator<TaskNode> {
  for (const n of nodes) {
    yield n;
    if (n.kind === 'block') yield* walk([...n.block, ...n.rescue, ...n.always]);
  }
}

function action(play: Play, name: string): ActionTask {
  const all = [...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers];
  const t = [...walk(all)].find((n) => n.kind === 'action' && n.name === name);
  if (t?.kind !== 'action') throw new Error(`no action task named ${name}`);
  return t;
}

describe('loadPlaybook on the feature-complete fixture', async () => {
  const pb = await loadPlaybook(SITE);
  const [backup, site] = pb.plays as [Play, Play];

  it('expands import_playbook in place, with its tags, and defaults gather_facts to false', () => {
    expect(pb.file).toBe(SITE);
    expect(pb.dir).toBe(FIX);
    expect(pb.plays.map((p) => p.name)).toEqual(['Back up etcd', 'Configure etcd members']);
    expect(backup.src).toEqual({ file: join(FIX, 'backup.yml'), line: 1, col: 3 });
    expect(backup.tags).toEqual(['backup']);
    expect(backup.gatherFacts).toBe(false);
  });

  it('reads play keywords', () => {
    expect(site.hosts).toBe('etcd:&linux:!retired');
    expect(site.serial).toEqual([1, '50%']);
    expect(site.become).toBe(true);
    expect(site.becomeUser).toBe('root');
    expect(site.gatherFacts).toBe(true);
    expect(site.anyErrorsFatal).toBe(true);
    expect(site.maxFailPercentage).toBe(20);
    expect(site.tags).toEqual(['site']);
    expect(site.environment).toEqual({ ETCDCTL_API: '3' });
    expect(site.vars).toEqual({ data_dir: '/var/lib/etcd', members: ['a', 'b'] });
  });

  it('loads static vars_files now and defers templated ones', () => {
    expect(site.varsFiles).toEqual([
      { path: join(FIX, 'vars/common.yml'), vars: { motd_text: 'Managed by Lifeboat', want_backup: true } },
      { path: 'vars/{{ env_name }}.yml', vars: {}, deferred: true, dir: FIX },
    ]);
  });

  it('expands roles with meta dependencies first, role params, defaults and vars', () => {
    expect(site.roles.map((r) => [r.name, r.params])).toEqual([
      ['base', { base_greeting: 'hi from common' }],
      ['common', {}],
      ['extra', { extra_port: 2379 }],
      ['base', {}], // import_role
    ]);
    const common = site.roles[1];
    expect(common?.path).toBe(join(FIX, 'roles/common'));
    expect(common?.defaults).toEqual({ common_user: 'etcd' });
    expect(common?.vars).toEqual({ common_dir: '/etc/common' });
    expect(site.roles[0]?.defaults).toEqual({ base_greeting: 'hello' }); // defaults/main.yaml
    const [first, second, third] = site.tasks;
    expect(first?.kind === 'action' && [first.name, first.role?.name]).toEqual(['Base greeting', 'base']);
    expect(first?.src.file).toBe(join(FIX, 'roles/base/tasks/main.yaml'));
    expect(second?.kind === 'action' && [second.name, second.role?.name]).toEqual(['Common directory', 'common']);
    // Keywords given with a role entry apply to its tasks through a block.
    const wrapped = third as BlockTask;
    expect(wrapped.kind).toBe('block');
    expect(wrapped.when).toEqual(['extra_enabled | default(true)']);
    expect(wrapped.tags).toEqual(['extra']);
    expect(wrapped.block.map((t) => t.kind === 'action' && t.role?.params)).toEqual([{ extra_port: 2379 }]);
  });

  it("joins role handlers to the play's handlers", () => {
    expect(site.handlers.map((h) => h.kind === 'action' && [h.name, h.role?.name ?? null, h.listen ?? null])).toEqual([
      ['common restarted', 'common', null],
      ['restart etcd', null, null],
      ['reload everything', null, ['reload things']],
    ]);
  });

  it('maps fully-qualified names and splits free-form options off the command', () => {
    const t = action(site, 'Say hello');
    expect(t.module).toBe('command');
    expect(t.args).toEqual({ _raw_params: 'echo hello', creates: '/tmp/hello', chdir: '/tmp' });
    expect(t.register).toBe('hello');
    expect(t.changedWhen).toEqual(['false']);
    expect(t.src).toEqual({ file: SITE, line: 29, col: 7 });
  });

  it('keeps a multi-line shell script byte for byte, with args: merged', () => {
    const t = action(backup, 'Snapshot');
    expect(t.args).toEqual({ creates: '/tmp/snap', _raw_params: 'set -e\necho snapshot > /tmp/snap\n' });
  });

  it('reads key=value arguments and leaves templated values for the run', () => {
    expect(action(site, 'Old-style arguments').args).toEqual({ path: '/var/lib/etcd', state: 'directory', mode: '0700' });
    expect(action(site, 'Old-style arguments').when).toEqual(['data_dir is defined', 'true']);
    const copy = action(site, 'Write a file');
    expect(copy.args).toEqual({ dest: '/etc/motd', content: '{{ motd_text }}', backup: '{{ want_backup }}' });
    expect(copy.notify).toEqual(['restart etcd']);
  });

  it('maps with_items (flattened one level) and with_dict onto loop, with loop_control', () => {
    const items = action(site, 'Loop over items');
    expect(items.loop).toEqual([1, 2, 3]);
    expect(items.loopControl).toEqual({ loopVar: 'member', label: '{{ member }}', indexVar: 'idx', pause: 1 });
    const dict = action(site, 'Loop over a dict');
    expect(dict.loop).toEqual([{ key: 'a', value: 1 }]);
    expect(dict.loopControl).toEqual({ loopVar: 'item' });
    expect(action(site, 'Loop with a template').loop).toBe('{{ members }}');
  });

  it('reads every task keyword', () => {
    const t = action(site, 'Loop over a dict');
    expect(t).toMatchObject({
      until: 'hello.rc == 0',
      retries: 5,
      delay: 2,
      failedWhen: ["'error' in hello.stdout"],
      ignoreErrors: '{{ tolerate }}',
      ignoreUnreachable: true,
      delegateTo: 'localhost',
      runOnce: true,
      noLog: true,
      checkMode: false,
      tags: ['a', 'b'],
      environment: { FOO: 'bar' },
      vars: { x: 1 },
    });
  });

  it('builds blocks with rescue and always', () => {
    const b = site.tasks.find((t): t is BlockTask => t.kind === 'block' && t.when[0] === 'data_dir != ""');
    expect(b?.become).toBe(false);
    expect(b?.block.map((t) => t.name)).toEqual(['Try']);
    expect(b?.rescue.map((t) => t.name)).toEqual(['Recover']);
    expect(b?.always.map((t) => t.name)).toEqual(['Always']);
    expect(action(site, 'Try').args).toEqual({ chdir: '/tmp', _raw_params: '/bin/false' });
    expect(action(site, 'Recover').notify).toEqual(['restart etcd', 'reload things']);
  });

  it('expands import_tasks / import_role statically and keeps include_* for the run', () => {
    const imported = site.tasks.find((t): t is BlockTask => t.kind === 'block' && t.when[0] === 'hello is changed');
    expect(imported?.block.map((t) => [t.name, t.src.file])).toEqual([['Imported statically', join(FIX, 'tasks/static.yml')]]);
    const includes = site.tasks.filter((t): t is IncludeTask => t.kind === 'include');
    expect(includes.map((i) => [i.what, i.target, i.baseDir, i.from?.tasks ?? null, i.params, i.loop ?? null])).toEqual([
      ['tasks', 'tasks/dynamic.yml', FIX, null, {}, [1, 2]],
      ['role', 'extra', FIX, 'other', { extra_port: 2380 }, null],
    ]);
    const last = site.tasks[site.tasks.length - 1];
    expect(last?.kind === 'action' && [last.name, last.role?.name]).toEqual(['Base extra', 'base']);
  });

  it('lists every file it read (for the plan input hash)', () => {
    expect(pb.files).toEqual(
      [
        'backup.yml',
        'roles/base/defaults/main.yaml',
        'roles/base/meta/main.yml',
        'roles/base/tasks/extra.yml',
        'roles/base/tasks/main.yaml',
        'roles/common/defaults/main.yml',
        'roles/common/handlers/main.yml',
        'roles/common/meta/main.yml',
        'roles/common/tasks/main.yml',
        'roles/common/vars/main.yml',
        'roles/extra/tasks/main.yml',
        'site.yml',
        'tasks/static.yml',
        'vars/common.yml',
      ].map((f) => join(FIX, f)),
    );
  });

  it('puts post_tasks apart', () => {
    expect(site.postTasks.map((t) => t.name)).toEqual(['Done']);
  });
});

describe('run-time loading for include_tasks / include_role', () => {
  it('loads a task file relative to the including base directory', async () => {
    const tasks = await loadTasksFile('tasks/dynamic.yml', { playbookDir: FIX, baseDir: FIX });
    expect(tasks.map((t) => t.kind === 'action' && [t.name, t.module, t.src.line])).toEqual([['Included dynamically', 'command', 1]]);
  });

  it('loads a role with tasks_from and parameters', async () => {
    const got = await loadRole('extra', { playbookDir: FIX, from: { tasks: 'other' }, params: { extra_port: 1 } });
    expect(got.role.params).toEqual({ extra_port: 1 });
    expect(got.tasks.map((t) => t.name)).toEqual(['Extra other']);
  });

  it('reads a deferred vars file once its path is rendered', async () => {
    expect(await loadVarsFile('vars/common.yml', FIX)).toEqual({ motd_text: 'Managed by Lifeboat', want_backup: true });
    const src = { file: SITE, line: 22, col: 7 };
    const err = await loadVarsFile('vars/prod.yml', FIX, src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LifeboatErrors);
    expect((err as LifeboatErrors).errors.map((e) => [e.src, e.message])).toEqual([[src, `cannot read file ${join(FIX, 'vars/prod.yml')}`]]);
  });

  it('names the missing role and the place that asked for it', async () => {
    const src = { file: SITE, line: 95, col: 7 };
    await expect(loadRole('extar', { playbookDir: FIX, src })).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: 'E_ROLE', src, message: 'role `extar` not found — did you mean `extra`?' })],
    });
  });
});
