import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeLab } from '../lab/fixture.js';
import { runOnLab } from './lab-run.js';

/**
 * Playbook keywords that change where and how a task runs (issue #10): connection: local, throttle, templated
 * and play-level run_once. Checked on the lab hosts through Lab.sh and on the controller's own files.
 */
describeLab('playbook language keywords on the lab', { hosts: 3, etcd: 0, masters: 0, tls: false }, (lab) => {
  const sh = async (host: string, cmd: string) => (await lab().sh(host, cmd)).stdout;
  const names = () => lab().hosts.map((h) => h.name);

  it('connection: local runs the task on the controller with each host\'s vars; throttle: 1 runs one host at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-local-'));
    const out = join(dir, 'log');
    const { summary } = await runOnLab(
      lab(),
      `
- hosts: all
  tasks:
    - name: on the controller
      shell: echo "{{ inventory_hostname }} $(hostname)" >> ${out}
      connection: local
    - name: one at a time
      shell: echo s >> ${out}.t; sleep 0.3; echo e >> ${out}.t
      connection: local
      throttle: 1
    - name: all at once
      shell: echo s >> ${out}.u; sleep 0.3; echo e >> ${out}.u
      connection: local
    - name: on the host again
      shell: hostname > /tmp/lb-lang-host
`,
    );
    expect(summary.exitCode).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').sort();
    expect(lines).toEqual(names().map((h) => `${h} ${hostname()}`).sort());
    expect(readFileSync(`${out}.t`, 'utf8')).toBe('s\ne\ns\ne\ns\ne\n');
    expect(readFileSync(`${out}.u`, 'utf8')).toBe('s\ns\ns\ne\ne\ne\n');
    for (const h of names()) expect((await sh(h, 'cat /tmp/lb-lang-host')).trim()).toBe(h);
  });

  it('run_once from a template and from the play runs on the first host only', async () => {
    const [n1, n2, n3] = names() as [string, string, string];
    await Promise.all(names().map((h) => sh(h, 'rm -f /tmp/lb-once-*')));
    const { summary } = await runOnLab(
      lab(),
      `
- hosts: all
  vars: { once_flag: "yes", never: false }
  tasks:
    - command: touch /tmp/lb-once-tpl
      run_once: "{{ once_flag }}"
    - command: touch /tmp/lb-once-not
      run_once: "{{ never }}"
- hosts: all
  run_once: true
  tasks:
    - command: touch /tmp/lb-once-play
`,
    );
    expect(summary.exitCode).toBe(0);
    const has = async (h: string, f: string) => (await sh(h, `test -e /tmp/lb-once-${f} && echo y || echo n`)).trim();
    expect([await has(n1, 'tpl'), await has(n2, 'tpl'), await has(n3, 'tpl')]).toEqual(['y', 'n', 'n']);
    expect([await has(n1, 'not'), await has(n2, 'not'), await has(n3, 'not')]).toEqual(['y', 'y', 'y']);
    expect([await has(n1, 'play'), await has(n2, 'play'), await has(n3, 'play')]).toEqual(['y', 'n', 'n']);
  });
});
