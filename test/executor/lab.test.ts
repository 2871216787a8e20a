import { expect, it } from 'vitest';
import { describeLab } from '../lab/fixture.js';
import type { Collect } from './helpers.js';
import { runOnLab } from './lab-run.js';

/** Failure messages, shown when an exit code is not the expected one. */
/**
 * Stops a lab host's sshd and returns once it is gone (a `kill` returns before the signal is handled: a connection
 * attempt in between would still be accepted). Leaves the pids of its sessions in $c. No single quotes: it is
 * also put inside `sh -c '…'`.
 */
const STOP_SSHD =
  'p=$(cat /run/sshd.pid); c=$(pgrep -P $p); kill $p; i=0; while kill -0 $p 2>/dev/null && [ $i -lt 250 ]; do i=$((i+1)); sleep 0.02; done;';

function problems(ev: Collect): string {
  const bad = ev.events.filter((e) => (e.type === 'host_result' && (e.status === 'failed' || e.status === 'unreachable')) || (e.type === 'host_plan' && e.status === 'fail') || e.type === 'warning');
  return JSON.stringify(bad, null, 1);
}

/**
 * The executor over real SSH (ssh2) on three lab hosts (own namespaces and sshd each). What happened is
 * checked on the hosts through Lab.sh (nsenter), not through the code under test.
 */
describeLab('executor on the lab over SSH', { hosts: 3, etcd: 0, masters: 0, tls: false }, (lab) => {
  const sh = async (host: string, cmd: string) => (await lab().sh(host, cmd)).stdout;
  const names = () => lab().hosts.map((h) => h.name);

  it('a multi-task playbook on 3 hosts: register, when, loop, handlers, delegate_to, run_once', async () => {
    const [n1, n2, n3] = names();
    await Promise.all(names().map((h) => sh(h, 'rm -rf /tmp/lb && mkdir -p /tmp/lb')));
    const { summary, ev } = await runOnLab(
      lab(),
      `
- hosts: all
  gather_facts: true
  tasks:
    - command: hostname
      register: hn
      changed_when: false
    - copy: { content: "{{ hn.stdout }} {{ ansible_nodename }}\\n", dest: /tmp/lb/name }
      notify: mark
    - command: touch /tmp/lb/item-{{ item }}
      loop: [a, b]
      when: inventory_hostname != '${n3}'
    - shell: echo {{ inventory_hostname }} >> /tmp/lb/delegated
      delegate_to: ${n1}
    - shell: echo once >> /tmp/lb/once
      run_once: true
  handlers:
    - name: mark
      command: touch /tmp/lb/handler-ran
`,
    );
    expect(summary.exitCode, problems(ev)).toBe(0);
    for (const h of [n1, n2, n3] as string[]) {
      expect(await sh(h, 'cat /tmp/lb/name')).toBe(`${h} ${h}\n`);
      expect(await sh(h, 'test -e /tmp/lb/handler-ran && echo yes')).toBe('yes\n');
    }
    expect(await sh(n2 as string, 'ls /tmp/lb | grep item')).toBe('item-a\nitem-b\n');
    expect(await sh(n3 as string, 'ls /tmp/lb | grep item || true')).toBe('');
    expect((await sh(n1 as string, 'sort /tmp/lb/delegated')).trim().split('\n')).toEqual([n1, n2, n3].sort());
    expect(await sh(n1 as string, 'cat /tmp/lb/once')).toBe('once\n');
    expect(await sh(n2 as string, 'cat /tmp/lb/once 2>/dev/null || echo none')).toBe('none\n');
    expect(ev.of('host_result').filter((r) => r.task === 'copy').map((r) => r.status)).toEqual(['changed', 'changed', 'changed']);

    // Second run: the copy is idempotent, so the handler is not notified.
    await Promise.all(names().map((h) => sh(h, 'rm -f /tmp/lb/handler-ran')));
    const again = await runOnLab(lab(), `
- hosts: all
  gather_facts: true
  tasks:
    - command: hostname
      register: hn
    - copy: { content: "{{ hn.stdout }} {{ ansible_nodename }}\\n", dest: /tmp/lb/name }
      notify: mark
  handlers:
    - name: mark
      command: touch /tmp/lb/handler-ran
`);
    expect(again.summary.exitCode).toBe(0);
    expect(again.ev.of('host_result').filter((r) => r.task === 'copy').map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(await sh(n1 as string, 'test -e /tmp/lb/handler-ran && echo yes || echo no')).toBe('no\n');
  });

  it('serial: one host at a time, in order', async () => {
    const [n1] = names();
    await sh(n1 as string, 'rm -f /tmp/serial.log');
    const { summary, ev } = await runOnLab(lab(), `
- hosts: all
  gather_facts: false
  serial: 1
  tasks:
    - shell: echo start-{{ inventory_hostname }} >> /tmp/serial.log
      delegate_to: ${n1}
    - shell: echo end-{{ inventory_hostname }} >> /tmp/serial.log
      delegate_to: ${n1}
`);
    expect(summary.exitCode).toBe(0);
    expect(ev.of('batch_start')).toHaveLength(3);
    const expected = names().flatMap((h) => [`start-${h}`, `end-${h}`]);
    expect((await sh(n1 as string, 'cat /tmp/serial.log')).trim().split('\n')).toEqual(expected);
  });

  it('block/rescue with a host whose sshd is stopped: rescue runs for it, the others go on; exit 3', async () => {
    const [n1, n2, n3] = names() as [string, string, string];
    await sh(n1, 'rm -f /tmp/rescued /tmp/after');
    await sh(n2, 'rm -f /tmp/after');
    await sh(n3, STOP_SSHD);
    try {
      const { summary, ev } = await runOnLab(lab(), `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: "true"
      rescue:
        - shell: echo {{ inventory_hostname }} {{ ansible_failed_result.msg is defined }} >> /tmp/rescued
          delegate_to: ${n1}
    - command: touch /tmp/after
`);
      expect(await sh(n1, 'cat /tmp/rescued')).toBe(`${n3} True\n`);
      expect(await sh(n2, 'test -e /tmp/after && echo yes')).toBe('yes\n');
      expect(summary.hosts[n3]).toMatchObject({ unreachable: 2, rescued: 1 });
      expect(ev.of('host_result').find((r) => r.host === n3)?.status).toBe('unreachable');
      expect(summary.exitCode).toBe(3);
    } finally {
      await sh(n3, '/usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log');
      for (let i = 0; i < 100 && (await lab().sh(n3, 'test -s /run/sshd.pid')).rc !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('a host lost in the middle of a block (its sshd and sessions killed) runs rescue; exit 3', async () => {
    const [n1, n2, n3] = names() as [string, string, string];
    await sh(n1, 'rm -f /tmp/rescued2');
    const pid = lab().initPid(n3);
    try {
      const { summary, ev } = await runOnLab(lab(), `
- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
    - block:
        - shell: nsenter -t ${pid} -m -u -n sh -c '${STOP_SSHD} kill $c'
          delegate_to: localhost
          run_once: true
        - command: "true"
      rescue:
        - shell: echo {{ inventory_hostname }} >> /tmp/rescued2
          delegate_to: ${n1}
    - command: "true"
`);
      expect(await sh(n1, 'cat /tmp/rescued2')).toBe(`${n3}\n`);
      const lost = ev.of('host_result').filter((r) => r.host === n3 && r.status === 'unreachable');
      expect(lost.length, problems(ev)).toBeGreaterThan(0);
      expect(summary.hosts[n3]).toMatchObject({ rescued: 1 });
      expect(summary.hosts[n2]).toMatchObject({ failed: 0, unreachable: 0 });
      expect(summary.exitCode).toBe(3);
    } finally {
      await sh(n3, '/usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log');
      for (let i = 0; i < 100 && (await lab().sh(n3, 'test -s /run/sshd.pid')).rc !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('any_errors_fatal: a failure on one host stops every host', async () => {
    const [n1, n2] = names() as [string, string];
    await Promise.all(names().map((h) => sh(h, 'rm -f /tmp/fatal-after')));
    const { summary } = await runOnLab(lab(), `
- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - command: "false"
      when: inventory_hostname == '${n2}'
    - command: touch /tmp/fatal-after
`);
    expect(summary.exitCode).toBe(2);
    expect(await sh(n1, 'test -e /tmp/fatal-after && echo ran || echo not-run')).toBe('not-run\n');
  });

  it('plan mode changes nothing on the hosts and says what would change', async () => {
    const [n1] = names() as [string];
    await Promise.all(names().map((h) => sh(h, 'rm -rf /tmp/plan && mkdir -p /tmp/plan && echo old > /tmp/plan/conf')));
    const before = await sh(n1, 'ls -la --time-style=full-iso /tmp/plan; cat /tmp/plan/conf');
    const { summary, ev } = await runOnLab(lab(), `
- hosts: all
  gather_facts: true
  tasks:
    - copy: { content: "new\\n", dest: /tmp/plan/conf }
      notify: restart
    - command: rm -rf /tmp/plan
    - stat: { path: /tmp/plan/conf }
      register: st
    - file: { path: /tmp/plan/made, state: touch }
      when: st.stat.exists
  handlers:
    - name: restart
      command: touch /tmp/plan/restarted
`, { check: true });
    expect(summary.exitCode, problems(ev)).toBe(0);
    expect(await sh(n1, 'ls -la --time-style=full-iso /tmp/plan; cat /tmp/plan/conf')).toBe(before);
    const mine = ev.of('host_plan').filter((p) => p.host === n1).map((p) => [p.task, p.status]);
    expect(mine).toEqual([
      ['Gathering Facts', 'ok'],
      ['copy', 'change'],
      ['command', 'unknown'],
      ['stat', 'ok'],
      ['file', 'change'],
      ['restart', 'unknown'],
    ]);
    expect(ev.of('host_plan').find((p) => p.task === 'copy')?.diff?.[0]).toMatchObject({ before: 'old\n', after: 'new\n' });
  });
});
