import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule, moduleNames } from '../../src/modules/registry.js';
import type { Step } from '../../src/modules/types.js';
import { makeUnknown, UnknownValueError } from '../../src/vars/index.js';
import { FakeConnection } from './fake.js';
import { planModule, runModule } from './run.js';

const execOf = (s: Step | undefined) => (s?.kind === 'exec' ? s.cmd : undefined);
const NEW_FILE = 'exists=0\nparent=1\nself_uid=0\n';

let pb: string;
beforeAll(async () => {
  pb = await mkdtemp(join(tmpdir(), 'lb-modplan-'));
  await mkdir(join(pb, 'files'));
  await writeFile(join(pb, 'files', 'run.sh'), '#!/bin/sh\necho hi\n');
});
afterAll(async () => rm(pb, { recursive: true, force: true }));

describe('command / shell / script plans', () => {
  it('a value holding `; rm -rf /` stays one argument', async () => {
    const c = new FakeConnection();
    const op = await planModule('command', { argv: ['echo', '; rm -rf /'], chdir: '/tmp/x; rm -rf /' }, c);
    expect(op.changed).toBe('unknown');
    expect(execOf(op.steps[0])).toBe("cd -- '/tmp/x; rm -rf /' && echo '; rm -rf /'");
    const ff = await planModule('command', { _raw_params: `echo '; rm -rf /' "$(id)"` }, c);
    expect(execOf(ff.steps[0])).toBe("echo '; rm -rf /' '$(id)'");
    expect(c.execs).toEqual([]); // no probe without creates/removes
  });
  it('creates/removes decide by a probe; the plan then knows', async () => {
    const exists = new FakeConnection().on('for f in', { rc: 0 });
    const skip = await planModule('command', { _raw_params: 'make install', creates: '/opt/app bin/*' }, exists);
    expect(skip).toMatchObject({
      changed: false,
      steps: [],
      result: { stdout: 'skipped, since /opt/app bin/* exists' },
    });
    expect(exists.execs[0]).toContain("for f in '/opt/app bin/'*;");
    const missing = new FakeConnection().on('for f in', { rc: 1 });
    expect((await planModule('command', { _raw_params: 'make', creates: '/x' }, missing)).changed).toBe(true);
    expect((await planModule('shell', { cmd: 'rm /x', removes: '/x' }, missing)).steps).toEqual([]);
  });
  it('shell runs the string through /bin/sh -c or the executable; stdin gets a newline', async () => {
    const c = new FakeConnection();
    const op = await planModule('shell', { cmd: "echo 'a' | wc -c", executable: '/bin/bash', stdin: 'x' }, c);
    expect(op.steps[0]).toMatchObject({ cmd: `/bin/bash -c 'echo '\\''a'\\'' | wc -c'`, stdin: 'x\n' });
  });
  it('refuses empty or unsplittable commands with E_MODULE', async () => {
    const c = new FakeConnection();
    await expect(planModule('command', { _raw_params: '' }, c)).rejects.toMatchObject({ code: 'E_MODULE' });
    await expect(planModule('command', { _raw_params: 'echo "x' }, c)).rejects.toMatchObject({
      code: 'E_MODULE',
      hint: expect.stringContaining('argv'),
    });
  });
  it('script uploads then runs and removes; a missing script names the paths tried', async () => {
    const c = new FakeConnection();
    const op = await planModule('script', { _raw_params: 'run.sh "a b"' }, c, { playbookDir: pb });
    expect(op.steps.map((s) => s.kind)).toEqual(['put', 'exec']);
    expect(execOf(op.steps[1])).toMatch(/^\/tmp\/\.lifeboat-script-[0-9a-f]{12}-run\.sh 'a b'; rc=\$\?; rm -f -- /);
    await expect(planModule('script', { _raw_params: 'nope.sh' }, c, { playbookDir: pb })).rejects.toMatchObject({
      code: 'E_MODULE',
      hint: expect.stringContaining(join(pb, 'files', 'nope.sh')),
    });
  });
  it('command result: rc, stripped stdout, lines, failure on rc != 0', async () => {
    const c = new FakeConnection().on('ls', { rc: 2, stdout: 'a\nb\n\n', stderr: 'bad\n' });
    const { result } = await runModule('command', { _raw_params: 'ls /x' }, c);
    expect(result).toMatchObject({ rc: 2, stdout: 'a\nb', stdout_lines: ['a', 'b'], stderr: 'bad', failed: true });
    expect(result.cmd).toEqual(['ls', '/x']);
    expect(String(result.delta)).toMatch(/^0:00:00\.\d{6}$/);
  });
});

describe('copy / file plans', () => {
  it('copy: a new file is one put; the same sha256 is no change; a mode difference is one chmod', async () => {
    const c = new FakeConnection().on('stat ', { stdout: NEW_FILE });
    const op = await planModule('copy', { content: 'abc\n', dest: '/etc/x.conf', mode: '0600' }, c);
    expect(op.steps).toEqual([
      expect.objectContaining({ kind: 'put', dest: '/etc/x.conf', content: 'abc\n', mode: 0o600 }),
    ]);
    expect(op.diff).toEqual([{ path: '/etc/x.conf', before: '', after: 'abc\n' }]);
    const sha = 'edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb';
    const same = new FakeConnection().on('stat ', {
      stdout: `exists=1\ntype=regular file\nmode=600\nowner=root\ngroup=root\nuid=0\ngid=0\nsha256=${sha}\nparent=1\n`,
    });
    expect((await planModule('copy', { content: 'abc\n', dest: '/etc/x.conf', mode: '0600' }, same)).steps).toEqual([]);
    const chmod = await planModule('copy', { content: 'abc\n', dest: '/etc/x.conf', mode: '0644' }, same);
    expect(chmod.steps.map(execOf)).toEqual(['chmod 0644 -- /etc/x.conf']);
  });
  it('plan: a missing parent directory is unknown, or a change when an earlier task creates it', async () => {
    const c = new FakeConnection().on('stat ', { stdout: 'exists=0\nself_uid=0\n' });
    const alone = await planModule('copy', { content: 'x', dest: '/etc/app/x' }, c, { check: true });
    expect(alone).toMatchObject({
      changed: 'unknown',
      notes: [expect.stringContaining('/etc/app does not exist yet')],
    });
    const after = await planModule('copy', { content: 'x', dest: '/etc/app/x' }, c, {
      check: true,
      earlierSteps: [{ kind: 'exec', cmd: 'mkdir -p -- /etc/app' }],
    });
    expect(after.changed).toBe(true);
    const run = await planModule('copy', { content: 'x', dest: '/etc/app/x' }, c);
    expect(run.result).toMatchObject({ failed: true, msg: 'copy: destination directory /etc/app does not exist' });
  });
  it('copy: validate goes through a temporary file; refuses src+content and bad modes', async () => {
    const c = new FakeConnection().on('stat ', { stdout: NEW_FILE });
    const op = await planModule('copy', { content: 'x', dest: '/etc/sudoers.d/a', validate: 'visudo -cf %s' }, c);
    expect(op.steps.map((s) => s.kind)).toEqual(['put', 'exec', 'exec']);
    expect(execOf(op.steps[1])).toMatch(/^visudo -cf \/etc\/sudoers\.d\/\.a\.lifeboat-[0-9a-f]{12}\.tmp \|\|/);
    expect(execOf(op.steps[2])).toMatch(
      /^mv -f -- \/etc\/sudoers\.d\/\.a\.lifeboat-[0-9a-f]{12}\.tmp \/etc\/sudoers\.d\/a$/,
    );
    await expect(planModule('copy', { content: 'x', src: 'y', dest: '/z' }, c)).rejects.toMatchObject({
      code: 'E_MODULE',
    });
    await expect(planModule('copy', { content: 'x', dest: '/z', mode: 'rw-r--r--' }, c)).rejects.toMatchObject({
      code: 'E_MODULE',
      hint: expect.stringContaining("'0644'"),
    });
  });
  it('file: absent quotes the path and marks the step destructive', async () => {
    const c = new FakeConnection().on('stat ', { stdout: 'exists=1\ntype=directory\nmode=755\n' });
    const op = await planModule('file', { path: '/var/lib/x; rm -rf /', state: 'absent' }, c);
    expect(op.steps).toEqual([
      expect.objectContaining({
        cmd: "rm -rf -- '/var/lib/x; rm -rf /'",
        destructive: expect.stringContaining('everything under it'),
      }),
    ]);
    await expect(planModule('file', { path: '/', state: 'absent' }, c)).rejects.toMatchObject({ code: 'E_MODULE' });
    await expect(planModule('file', { path: '/l', state: 'link' }, c)).rejects.toMatchObject({ code: 'E_MODULE' });
  });
});

describe('template plans', () => {
  it('renders with the vars; a register unknown before the run surfaces as UnknownValueError', async () => {
    await mkdir(join(pb, 'templates'), { recursive: true });
    await writeFile(join(pb, 'templates', 't.j2'), 'v={{ r.stdout }}\n');
    const c = new FakeConnection().on('stat ', { stdout: NEW_FILE });
    const op = await planModule('template', { src: 't.j2', dest: '/etc/t' }, c, {
      playbookDir: pb,
      vars: { r: { stdout: 'ok' } },
    });
    expect(op.steps[0]).toMatchObject({ kind: 'put', content: 'v=ok\n' });
    await expect(
      planModule('template', { src: 't.j2', dest: '/etc/t' }, c, { playbookDir: pb, vars: { r: makeUnknown('r') } }),
    ).rejects.toBeInstanceOf(UnknownValueError);
    await expect(planModule('template', { src: 't.j2', dest: '/etc/t' }, c, { playbookDir: pb })).rejects.toMatchObject(
      {
        code: 'E_UNDEFINED',
      },
    );
  });
});

describe('service / wait_for / setup plans', () => {
  const systemd = (active: string, ufs = 'disabled') =>
    new FakeConnection().on('systemctl show', {
      stdout: `mgr=systemd\nLoadState=loaded\nActiveState=${active}\nSubState=x\nUnitFileState=${ufs}\n`,
    });
  it('systemd: start only when inactive; enable; daemon-reload first', async () => {
    const op = await planModule(
      'systemd',
      { name: 'etcd', state: 'started', enabled: true, daemon_reload: true },
      systemd('inactive'),
    );
    expect(op.steps.map(execOf)).toEqual(['systemctl daemon-reload', 'systemctl enable etcd', 'systemctl start etcd']);
    expect(op.changed).toBe(true);
    const none = await planModule(
      'service',
      { name: 'etcd', state: 'started', enabled: true },
      systemd('active', 'enabled'),
    );
    expect(none).toMatchObject({ changed: false, steps: [] });
    const stop = await planModule('service', { name: 'etcd', state: 'stopped' }, systemd('active'));
    expect(stop.steps[0]).toMatchObject({ cmd: 'systemctl stop etcd', destructive: 'stops etcd' });
  });
  it('sysv: the service command, and a name that cannot break out', async () => {
    const c = new FakeConnection().on('mgr', { stdout: 'mgr=sysv\nscript=1\nstatus_rc=3\n' });
    const op = await planModule('service', { name: 'etcd;reboot', state: 'started' }, c);
    expect(execOf(op.steps[0])).toContain("service 'etcd;reboot' start");
    await expect(planModule('service', { name: 'etcd' }, c)).rejects.toMatchObject({ code: 'E_MODULE' });
  });
  it('wait_for: already true is ok; else unknown with a bounded step', async () => {
    const yes = new FakeConnection().on('echo yes', { stdout: 'yes\n' });
    expect((await planModule('wait_for', { path: '/x' }, yes)).changed).toBe(false);
    const no = new FakeConnection();
    const op = await planModule('wait_for', { port: 2379, timeout: 7 }, no);
    expect(op.changed).toBe('unknown');
    expect(op.steps[0]).toMatchObject({ timeoutMs: 37_000 });
    await expect(planModule('wait_for', { port: 1, path: '/x' }, no)).rejects.toMatchObject({ code: 'E_MODULE' });
  });
  it('setup gathers with exactly one command', async () => {
    const c = new FakeConnection().on('hostname', { stdout: 'hostname=h\nos_id=debian\nos_version=12\n' });
    const { result } = await runModule('setup', {}, c);
    expect(c.execs).toHaveLength(1);
    expect(result.ansible_facts).toMatchObject({ ansible_hostname: 'h', ansible_distribution: 'Debian' });
  });
});

describe('controller-only modules', () => {
  const c = new FakeConnection();
  it('debug prints msg or a var, honours verbosity', async () => {
    expect((await runModule('debug', { msg: 'hi' }, c)).result).toMatchObject({ changed: false, msg: 'hi' });
    expect((await runModule('debug', { var: 'x.y' }, c, { vars: { x: { y: [1] } } })).result).toMatchObject({
      'x.y': [1],
    });
    expect((await runModule('debug', { msg: 'hi', verbosity: 2 }, c)).result).toMatchObject({ skipped: true });
    expect((await runModule('debug', { var: 'nope' }, c)).result).toMatchObject({ nope: 'VARIABLE IS NOT DEFINED!' });
  });
  it('assert fails on the first false condition with fail_msg', async () => {
    const vars = { rc: 0, members: ['a', 'b', 'c'] };
    const ok = await runModule('assert', { that: ['rc == 0', 'members | length == 3'] }, c, { vars });
    expect(ok.result).toMatchObject({ changed: false, msg: 'All assertions passed' });
    expect(ok.result.failed).toBeUndefined();
    const r = await runModule('assert', { that: ['rc == 0', 'members | length == 5'], fail_msg: 'need 5' }, c, {
      vars,
    });
    expect(r.result).toMatchObject({
      failed: true,
      msg: 'need 5',
      assertion: 'members | length == 5',
      evaluated_to: false,
    });
  });
  it('fail, set_fact, meta, pause', async () => {
    expect((await runModule('fail', { msg: 'stop' }, c)).result).toMatchObject({ failed: true, msg: 'stop' });
    expect((await runModule('set_fact', { a: 1, cacheable: true }, c)).result.ansible_facts).toEqual({ a: 1 });
    expect((await planModule('meta', { _raw_params: 'flush_handlers' }, c)).control).toEqual({
      kind: 'flush_handlers',
    });
    expect((await planModule('meta', { _raw_params: 'noop' }, c)).control).toBeUndefined();
    expect((await planModule('pause', { minutes: 2 }, c)).control).toEqual({ kind: 'pause', seconds: 120 });
    await expect(planModule('pause', { prompt: 'Continue?' }, c)).rejects.toMatchObject({
      code: 'E_MODULE',
      message: expect.stringContaining('never prompts'),
    });
    await expect(planModule('pause', {}, c)).rejects.toMatchObject({ code: 'E_MODULE' });
    expect(c.calls).toEqual([]);
  });
});

describe('schemas', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const generic = [
    'assert',
    'command',
    'copy',
    'debug',
    'fail',
    'fetch',
    'file',
    'lineinfile',
    'meta',
    'pause',
    'script',
    'service',
    'set_fact',
    'setup',
    'shell',
    'stat',
    'systemd',
    'template',
    'wait_for',
    'get_url',
    'unarchive',
    'uri',
    'mount',
    'apt_repository',
    'synchronize',
    'iptables',
  ];
  it('every generic module is registered with a compilable schema', () => {
    for (const n of generic) {
      expect(moduleNames()).toContain(n);
      const def = getModule(`ansible.builtin.${n}`);
      expect(def?.name === n || (n === 'systemd' && def?.name === 'systemd')).toBe(true);
      expect(() => ajv.compile(def?.schema ?? {})).not.toThrow();
    }
  });
  const check = (name: string, args: unknown) => ajv.validate(getModule(name)?.schema ?? {}, args);
  it('accepts Ansible-shaped arguments and rejects typos, missing required args and bad enums', () => {
    expect(check('copy', { src: 'a', dest: '/b', mode: '0644', backup: true })).toBe(true);
    expect(check('copy', { src: 'a', dset: '/b' })).toBe(false);
    expect(check('copy', { dest: '/b' })).toBe(false);
    expect(check('file', { path: '/x', state: 'directory', mode: 0o755 })).toBe(true);
    expect(check('file', { path: '/x', state: 'dir' })).toBe(false);
    expect(check('service', { name: 'etcd', state: 'running' })).toBe(false);
    expect(check('wait_for', { port: 70000 })).toBe(false);
    expect(check('meta', { _raw_params: 'reset_connection' })).toBe(false);
    expect(check('lineinfile', { dest: '/x', regexp: '^a', line: 'a' })).toBe(true);
    expect(check('set_fact', { 'bad-name': 1 })).toBe(false);
    expect(check('command', { _raw_params: 'ls', creates: '/x', chdir: '/' })).toBe(true);
  });
});
