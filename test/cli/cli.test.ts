import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/executor/events.js';
import { BUILT, LOCAL_INVENTORY, lifeboat, ROOT, scratch } from './helpers.js';

if (!BUILT) console.warn('skipping CLI tests: dist/ is missing — run `npm run build` (scripts/setup.sh does)');

describe.skipIf(!BUILT)('the lifeboat command', () => {
  it('--help lists the commands; a command --help shows options with defaults and examples', () => {
    const top = lifeboat(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['run', 'plan', 'apply', 'validate', 'inventory']) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const run = lifeboat(['run', '--help']);
    expect(run.stdout).toContain('Usage: lifeboat run -i INVENTORY [options] PLAYBOOK...');
    expect(run.stdout).toMatch(/-f, --forks N\s+Hosts worked on in parallel \(default: 20\)/);
    expect(run.stdout).toContain('Examples:');
  });

  it('an unknown option or command is a usage error with a did-you-mean', () => {
    const r = lifeboat(['run', '--limt', 'x']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('did you mean `--limit`?');
    const c = lifeboat(['valdiate']);
    expect(c.code).toBe(4);
    expect(c.stderr).toContain('did you mean "validate"?');
  });

  it('runs a playbook over the local connection, with plain lines and the recap (exit 0)', () => {
    const dir = scratch({
      'inv.yml': LOCAL_INVENTORY,
      'pb.yml': `- hosts: all\n  tasks:\n    - name: write\n      copy: { content: "hi\\n", dest: "${'{{'} playbook_dir ${'}}'}/out.txt" }\n    - name: read\n      command: cat out.txt\n      args: { chdir: "${'{{'} playbook_dir ${'}}'}" }\n      register: r\n    - assert: { that: "r.stdout == 'hi'" }\n`,
    });
    const r = lifeboat(['run', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/TASK \[write\] .*pb\.yml:3/);
    expect(r.stdout).toMatch(/changed\s+ctl/);
    expect(r.stdout).toMatch(/ctl\s+ok=\d+ changed=2 failed=0/);
    // idempotent: a second run changes the file no more
    const again = lifeboat(['run', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(again.stdout).toMatch(/TASK \[write\][^\n]*\n\s+ok\s+ctl/);
  });

  it('--json puts one event per line on stdout and the human view on stderr; a failure exits 2 and masks secrets', () => {
    const dir = scratch({
      'inv.yml': LOCAL_INVENTORY,
      'pb.yml': '- hosts: all\n  vars: { secret: [token], token: tok-s3cret-42 }\n  tasks:\n    - name: leak attempt\n      shell: "echo {{ token }}; exit 3"\n',
    });
    const r = lifeboat(['run', '--json', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(r.code).toBe(2);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    expect(events[0]?.type).toBe('run_start');
    expect(events.at(-1)?.type).toBe('recap');
    const failed = events.find((e) => e.type === 'host_result' && e.status === 'failed');
    expect(failed).toMatchObject({ host: 'ctl', rc: 3 });
    expect(r.stdout + r.stderr).not.toContain('tok-s3cret-42');
    expect(r.stdout).toContain('********');
    expect(r.stderr).toContain('TASK [leak attempt]');
  });

  it('bad input names the file and line, runs nothing, exits 4', () => {
    const dir = scratch({ 'inv.yml': LOCAL_INVENTORY, 'pb.yml': '- hosts: all\n  tasks:\n    - name: typo\n      comand: ls\n' });
    const v = lifeboat(['validate', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(v.code).toBe(4);
    expect(v.stderr).toMatch(/pb\.yml:4:7: .*comand.*/);
    expect(v.stderr).toContain('did you mean `command`');
    const r = lifeboat(['run', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('nothing was run');
    const json = lifeboat(['validate', '--json', join(dir, 'pb.yml')]);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ code: 'E_MODULE', line: 4 });
  });

  it("the README's validate command passes on the shipped playbooks and example inventories (task files live under playbooks/tasks/)", () => {
    const books = readdirSync(join(ROOT, 'playbooks')).filter((f) => f.endsWith('.yml')).map((f) => join(ROOT, 'playbooks', f));
    expect(books.length).toBeGreaterThanOrEqual(3);
    for (const inv of ['inventories/example-kubeadm', 'inventories/example-kubeasz/hosts']) {
      const v = lifeboat(['validate', '-i', join(ROOT, inv), ...books]);
      expect(v.stderr).toBe('');
      expect(v.code).toBe(0);
    }
    // a task file given as a playbook gets one error that says what it is
    const t = lifeboat(['validate', join(ROOT, 'playbooks/tasks/etcd-restore.yml')]);
    expect(t.code).toBe(4);
    expect(t.stderr).toContain('this is a list of tasks, not a playbook');
  });

  it('a --limit naming no host or group is refused before anything runs, with the nearest group', () => {
    const dir = scratch({ 'inv.yml': 'all:\n  children:\n    etcd:\n      hosts:\n        ctl: { ansible_connection: local }\n', 'pb.yml': '- hosts: all\n  tasks:\n    - command: "true"\n' });
    const r = lifeboat(['run', '-i', join(dir, 'inv.yml'), '-l', 'etdc', join(dir, 'pb.yml')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('no host or group named "etdc"');
    expect(r.stderr).toContain('did you mean "etcd"?');
    expect(r.stdout).not.toContain('TASK');
  });

  it('inventory --graph and --host show the resolved inventory', () => {
    const dir = scratch({ hosts: '[etcd]\nnode[1:3] ansible_user=root\n\n[kube_master:children]\netcd\n' });
    const g = lifeboat(['inventory', '-i', join(dir, 'hosts'), '--graph']);
    expect(g.code).toBe(0);
    expect(g.stdout).toContain('@kube_master:');
    expect(g.stdout).toContain('|--node3');
    const h = lifeboat(['inventory', '-i', join(dir, 'hosts'), '--host', 'node2']);
    expect(JSON.parse(h.stdout)).toMatchObject({ ansible_user: 'root' });
  });

  it('-i h1,h2 is a host list, not a path (the first host is not made relative to the working directory)', () => {
    const r = lifeboat(['inventory', '-i', 'h1,h2', '--list']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ungrouped.hosts).toEqual(['h1', 'h2']);
    const v = lifeboat(['validate', '-i', 'h1,h2', 'playbooks/etcd-backup.yml']);
    expect(v.stderr + v.stdout).not.toContain(join(ROOT, 'h1'));
  });

  it('validate warns (exit 0) for hosts naming no group, as Ansible; checks -e as a run does (exit 4)', () => {
    const dir = scratch({ 'inv.yml': LOCAL_INVENTORY, 'pb.yml': '- hosts: bastion\n  tasks:\n    - command: "true"\n' });
    const w = lifeboat(['validate', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/^warning: .*pb\.yml:1:10: hosts: `bastion` is no group or host of the inventory/m);
    const missing = lifeboat(['validate', '-e', `@${join(dir, 'nope.yml')}`, join(dir, 'pb.yml')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('nope.yml: cannot read the file');
    const port = lifeboat(['validate', '-e', 'ansible_port=twenty-two', join(dir, 'pb.yml')]);
    expect(port.code).toBe(4);
    expect(port.stderr).toContain('twenty-two');
    expect(lifeboat(['validate', '-e', 'x=1', join(dir, 'pb.yml')]).code).toBe(0);
  });

  it('validate refuses an empty playbook and an unclosed template, naming file and line (exit 4)', () => {
    const dir = scratch({ 'empty.yml': '', 'bad.yml': '- hosts: all\n  tasks:\n    - command: echo {{ foo\n' });
    const e = lifeboat(['validate', join(dir, 'empty.yml')]);
    expect(e.code).toBe(4);
    expect(e.stderr + e.stdout).toContain('empty.yml:1:1: the playbook is empty');
    const b = lifeboat(['validate', join(dir, 'bad.yml')]);
    expect(b.code).toBe(4);
    expect(b.stderr + b.stdout).toMatch(/bad\.yml:3:\d+: template syntax error/);
  });

  it('run refuses an empty playbook; a port that is no number in -e or a templated vars_files file is refused (exit 4)', () => {
    const dir = scratch({
      'inv.yml': LOCAL_INVENTORY,
      'empty.yml': '',
      'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n',
      'ev.yml': 'a: 1\nansible_port: twenty-two\n',
      'deferred.yml': '- hosts: all\n  gather_facts: false\n  vars: { f: ev }\n  vars_files: ["{{ f }}.yml"]\n  tasks:\n    - debug: msg=hi\n',
    });
    const run = (...a: string[]) => lifeboat(['run', '--output', 'plain', '-i', join(dir, 'inv.yml'), ...a]);
    const e = run(join(dir, 'empty.yml'));
    expect(e.code).toBe(4);
    expect(e.stderr).toContain('empty.yml:1:1: the playbook is empty');
    for (const arg of ['ansible_port=twenty-two', '{"ansible_ssh_port": 0}']) {
      const r = run('-e', arg, join(dir, 'pb.yml'));
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/-e ".*": ansible(_ssh)?_port .* is not a port number/);
      expect(r.stdout).not.toContain('hi');
    }
    const f = run('-e', `@${join(dir, 'ev.yml')}`, join(dir, 'pb.yml'));
    expect(f.code).toBe(4);
    expect(f.stderr).toContain('ev.yml:2:15: ansible_port "twenty-two" is not a port number');
    const d = run(join(dir, 'deferred.yml'));
    expect(d.code).toBe(4);
    expect(d.stdout + d.stderr).toContain('ev.yml:2:15: ansible_port "twenty-two" is not a port number');
    expect(d.stdout).not.toMatch(/ok\s+ctl/);
  });

  it('a plan that shows WILL FAIL exits 2, even when the failure is ignored', () => {
    const dir = scratch({
      'inv.yml': LOCAL_INVENTORY,
      'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: a\n      debug:\n        msg: "{{ nope }}"\n      ignore_errors: true\n',
    });
    const r = lifeboat(['plan', '--offline', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(r.stdout).toContain('WILL FAIL');
    expect(r.code).toBe(2);
  });
});

describe.skipIf(!BUILT)('Ctrl-C', () => {
  it('stops the running command, prints the recap and exits 130', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, ROOT } = await import('./helpers.js');
    const marker = `lb-ctrl-c-${process.pid}`;
    const dir = scratch({
      'inv.yml': LOCAL_INVENTORY,
      'pb.yml': `- hosts: all\n  tasks:\n    - name: long\n      shell: "exec sleep 30 # ${marker}"\n    - name: never\n      command: "true"\n`,
    });
    const p = spawn(process.execPath, [BIN, 'run', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    p.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const { execSync } = await import('node:child_process');
    // "[l]b-…" matches the sleep's command line but not pgrep's own shell.
    const running = () => execSync(`pgrep -f '[${marker[0]}]${marker.slice(1)}' || true`, { encoding: 'utf8' }).trim() !== '';
    for (let i = 0; i < 100 && !running(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(running()).toBe(true);
    p.kill('SIGINT');
    const code = await new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(out).toContain('Interrupted');
    expect(out).toContain('RECAP');
    expect(out).not.toContain('TASK [never]');
    for (let i = 0; i < 30 && running(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(running()).toBe(false);
  });
});
