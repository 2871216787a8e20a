import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, BUILT, ROOT, scratch } from './helpers.js';

const TMUX = spawnSync('tmux', ['-V']).status === 0;
if (!TMUX) console.warn('skipping the terminal-view test: tmux is not installed (scripts/setup.sh installs it)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The listr2 view in a real terminal: tmux runs the CLI on a pseudo-terminal and we read the screen. */
/**
 * The exit code the tmux command wrote with `echo $? > FILE`: the shell creates (empties) the file before it
 * writes, so wait for content, not for the file (up to 5 s; '' if it never comes).
 */
async function exitCodeIn(file: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    if (text !== '') return text;
    await sleep(100);
  }
  return '';
}

describe.skipIf(!BUILT || !TMUX)('terminal view (listr2) in a real pseudo-terminal', () => {
  const session = `lb-test-${process.pid}`;
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('shows one line per task, ✔/✖ per host with duration, the failing command stderr, and the recap', async () => {
    const dir = scratch({
      'inv.yml': 'all:\n  hosts:\n    ctl:\n      ansible_connection: local\n    ctl2:\n      ansible_connection: local\n',
      'pb.yml': `- hosts: all
  tasks:
    - name: first
      command: "true"
    - name: fails on ctl2
      shell: "if [ {{ inventory_hostname }} = ctl2 ]; then echo 'disk full: /var/lib/etcd' >&2; exit 3; fi"
`,
    });
    const done = join(dir, 'exit-code');
    const cmd = `cd ${ROOT} && env -u CI -u NO_COLOR TERM=xterm-256color node ${BIN} run -i ${dir}/inv.yml ${dir}/pb.yml; echo $? > ${done}; sleep 60`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '30', cmd]);
    let screen = '';
    for (let i = 0; i < 100; i++) {
      await sleep(200);
      screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
      if (screen.includes('RECAP')) break;
    }
    expect(screen).toMatch(/✔ TASK \[first\] \d+ms/);
    expect(screen).toMatch(/TASK \[fails on ctl2\]/);
    expect(screen).toMatch(/✔ ctl changed \d+ms/);
    expect(screen).toMatch(/✖ ctl2: failed/);
    expect(screen).toContain('rc=3');
    expect(screen).toContain('disk full: /var/lib/etcd');
    expect(screen).toMatch(/ctl2\s+ok=\d+ changed=\d+ failed=1/);
    // collapsed: the succeeded task shows no host lines under it
    const lines = screen.split('\n');
    const first = lines.findIndex((l) => l.includes('TASK [first]'));
    expect(lines[first + 1]).toContain('TASK [fails on ctl2]');
    expect(await exitCodeIn(done)).toBe('2');
  });
});

describe.skipIf(!BUILT || !TMUX)('secrets asked on the terminal', () => {
  const session = `lb-prompt-${process.pid}`;
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('-k, -K and --ask-key-passphrase ask once before the run, echo nothing, and the run goes on', async () => {
    const dir = scratch({
      'inv.yml': 'all:\n  hosts:\n    ctl:\n      ansible_connection: local\n',
      'pb.yml': '- hosts: all\n  tasks:\n    - name: after the prompts\n      command: "true"\n',
    });
    const done = join(dir, 'exit-code');
    const cmd = `cd ${ROOT} && env -u CI NO_COLOR=1 node ${BIN} run --output plain -k -K --ask-key-passphrase -i ${dir}/inv.yml ${dir}/pb.yml; echo $? > ${done}; sleep 60`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '30', cmd]);
    const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    const waitFor = async (text: string) => {
      for (let i = 0; i < 100 && !screen().includes(text); i++) await sleep(100);
      expect(screen()).toContain(text);
    };
    await waitFor('SSH password:');
    execFileSync('tmux', ['send-keys', '-t', session, 'ssh-s3cret-31', 'Enter']);
    await waitFor('BECOME password:');
    execFileSync('tmux', ['send-keys', '-t', session, 'sudo-s3cret-17', 'Enter']);
    await waitFor('Key passphrase:');
    execFileSync('tmux', ['send-keys', '-t', session, 'key-s3cret-23', 'Enter']);
    await waitFor('RECAP');
    expect(await exitCodeIn(done)).toBe('0');
    const text = screen();
    expect(text).toContain('TASK [after the prompts]');
    expect(text).not.toContain('sudo-s3cret-17');
    expect(text).not.toContain('key-s3cret-23');
    expect(text).not.toContain('ssh-s3cret-31');
  });
});

describe.skipIf(!BUILT || !TMUX)('secrets in the terminal view (listr2)', () => {
  const session = `lb-secret-${process.pid}`;
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('masks a become password and `secret` variables (found mid-run) in task titles, failures and warnings', async () => {
    const dir = scratch({
      'inv.yml': 'all:\n  hosts:\n    ctl:\n      ansible_connection: local\n',
      'pb.yml': `- hosts: all
  vars: { secret: [tok, long], tok: 'q"uo\\te.*[x]', long: 'q"uo\\te.*[x]-longer' }
  tasks:
    - name: "title {{ tok }}"
      command: "true"
    - name: fails
      shell: "printf '%s %s\\\\n' \\"$T\\" \\"$L\\" >&2; exit 3"
      environment: { T: "{{ tok }}", L: "{{ long }}" }
`,
    });
    const done = join(dir, 'exit-code');
    const cmd = `cd ${ROOT} && env -u CI -u NO_COLOR TERM=xterm-256color LIFEBOAT_BECOME_PASSWORD='Ab"c\\d-XYZ' node ${BIN} run -i ${dir}/inv.yml --start-at-task 'Ab"c\\d-XYZ' ${dir}/pb.yml; node ${BIN} run -i ${dir}/inv.yml ${dir}/pb.yml; echo $? > ${done}; sleep 60`;
    // The tmux server of the describe before may still be exiting (its last session just killed): try again.
    for (let i = 0; ; i++) {
      try {
        execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', cmd], { stdio: 'pipe' });
        break;
      } catch (err) {
        if (i >= 4) throw err;
        await sleep(300);
      }
    }
    let screen = '';
    for (let i = 0; i < 100; i++) {
      await sleep(200);
      screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
      if ((screen.match(/RECAP/g) ?? []).length >= 2) break;
    }
    expect(await exitCodeIn(done)).toBe('2');
    expect(screen).toContain('no task named "********"');
    expect(screen).toMatch(/TASK \[title \*{8}\]/);
    expect(screen).toContain('******** ********');
    for (const piece of ['XYZ', 'uo', '[x]', 'longer']) expect(screen).not.toContain(piece);
  });
});
