import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { connectionSpecFor, createConnectionPool } from '../../src/connection/index.js';
import { runPlaybooks } from '../../src/executor/index.js';
import { hostInventoryVars, loadInventory } from '../../src/inventory/index.js';
import type { Vars } from '../../src/inventory/types.js';
import { loadPlaybook } from '../../src/playbook/index.js';
import { SecretSet } from '../../src/secrets.js';
import type { Lab } from '../lab/index.js';
import { describeLab } from '../lab/fixture.js';
import { Collect, tmpTree } from './helpers.js';

/**
 * Keywords that change how a task reaches its host (issue #10), over real SSH: `remote_user` (another login
 * user, another connection) and `timeout` (the command on the host is stopped).
 */

/** The lab's hosts without `ansible_user` (the ssh config says root), connection vars rendered as the CLI does. */
async function run(lab: Lab, yaml: string) {
  const dir = tmpTree({});
  const ini = lab.hosts
    .map((h) => `${h.name} ansible_host=${h.address} ansible_ssh_private_key_file=${lab.clientKey} ansible_ssh_common_args='-o UserKnownHostsFile=${lab.knownHosts} -o StrictHostKeyChecking=yes'`)
    .join('\n');
  writeFileSync(join(dir, 'hosts.ini'), `${ini}\n`);
  writeFileSync(join(dir, 'site.yml'), yaml);
  const inventory = await loadInventory([join(dir, 'hosts.ini')]);
  const pool = createConnectionPool({
    specFor: (host: string, vars?: Vars) => connectionSpecFor(host, vars ?? hostInventoryVars(inventory, host), { sshConfigFile: lab.sshConfig, connectTimeoutMs: 30_000 }),
  });
  const ev = new Collect();
  try {
    const summary = await runPlaybooks({
      inventory,
      playbooks: [await loadPlaybook(join(dir, 'site.yml'))],
      extraVars: {},
      forks: 20,
      check: false,
      diff: false,
      connections: pool,
      reporter: ev,
      secrets: new SecretSet(),
    });
    return { summary, ev };
  } finally {
    await pool.closeAll();
  }
}

describeLab('remote_user and timeout on the lab', { hosts: 2, etcd: 0, masters: 0, tls: false }, (lab) => {
  const sh = async (host: string, cmd: string) => (await lab().sh(host, cmd)).stdout.trim();
  const names = () => lab().hosts.map((h) => h.name);

  it('remote_user logs in as that user (its own connection beside root\'s)', async () => {
    for (const h of names()) {
      await sh(
        h,
        'id lbremote >/dev/null 2>&1 || useradd -m -d /var/lib/lbremote -s /bin/sh lbremote; ' +
          'mkdir -p /var/lib/lbremote/.ssh && cp /root/.ssh/authorized_keys /var/lib/lbremote/.ssh/ && ' +
          "chown -R lbremote /var/lib/lbremote && chmod 755 /var/lib/lbremote && chmod 700 /var/lib/lbremote/.ssh && usermod -p '*' lbremote; rm -f /tmp/lb-ru-*",
      );
    }
    const { summary, ev } = await run(
      lab(),
      `
- hosts: all
  gather_facts: false
  remote_user: lbremote
  tasks:
    - shell: id -un > /tmp/lb-ru-1
    - shell: id -un > /tmp/lb-ru-2
      remote_user: root
    - shell: id -un > /tmp/lb-ru-3
- hosts: all
  gather_facts: false
  tasks:
    - shell: id -un > /tmp/lb-ru-4
`,
    );
    expect(ev.of('host_result').filter((e) => e.status !== 'changed').map((e) => e.msg)).toEqual([]);
    expect(summary.exitCode).toBe(0);
    for (const h of names()) {
      expect(await sh(h, 'cat /tmp/lb-ru-1 /tmp/lb-ru-2 /tmp/lb-ru-3 /tmp/lb-ru-4')).toBe('lbremote\nroot\nlbremote\nroot');
    }
  });

  it('timeout fails the task on the host with "timed out after N s" and stops the command there', async () => {
    const [n1, n2] = names() as [string, string];
    await Promise.all(names().map((h) => sh(h, 'rm -f /tmp/lb-to-*')));
    const { summary, ev } = await run(
      lab(),
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: slow on one host
      shell: echo $$ > /tmp/lb-to-pid; {{ 'exec sleep 60' if inventory_hostname == '${n1}' else 'true' }}
      timeout: 2
    - shell: touch /tmp/lb-to-after
`,
    );
    expect(summary.exitCode).not.toBe(0);
    const r = ev.of('host_result').filter((e) => e.task === 'slow on one host');
    expect(r.find((e) => e.host === n1)?.msg).toMatch(/^timed out after 2 s: the shell action/);
    expect(r.find((e) => e.host === n2)?.status).toBe('changed');
    const pid = await sh(n1, 'cat /tmp/lb-to-pid');
    expect(pid).toMatch(/^\d+$/);
    // gone, or a zombie not yet reaped: not running
    expect(await sh(n1, `awk '{print $3}' /proc/${pid}/stat 2>/dev/null || echo gone`)).toMatch(/^(gone|Z)$/);
    expect(await sh(n1, 'test -e /tmp/lb-to-after && echo y || echo n')).toBe('n');
    expect(await sh(n2, 'test -e /tmp/lb-to-after && echo y || echo n')).toBe('y');
  });

  it('async with poll: within the time ok, past it failed in Ansible\'s words; poll 0 + async_status until finished', async () => {
    const [n1, n2] = names() as [string, string];
    await Promise.all(names().map((h) => sh(h, 'rm -rf /tmp/lb-as-* "$HOME/.lifeboat_async"')));
    const { summary, ev } = await run(
      lab(),
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: polled
      shell: sleep {{ 5 if inventory_hostname == '${n1}' else 0 }}; echo done
      async: "{{ 2 }}"
      poll: 1
      ignore_errors: true
    - name: started
      shell: sleep 1; echo "$$" > /tmp/lb-as-pid; echo out-{{ inventory_hostname }}; echo err >&2
      async: 30
      poll: 0
      register: job
    - name: not finished at once
      async_status: { jid: "{{ job.ansible_job_id }}" }
      register: early
    - name: wait for it
      async_status: { jid: "{{ job.ansible_job_id }}" }
      register: st
      until: st.finished == 1
      retries: 20
      delay: 0.5
    - name: past its async time
      command: sleep 30
      async: 1
      poll: 0
      register: slow
    - async_status: { jid: "{{ slow.ansible_job_id }}" }
      register: slow_st
      until: slow_st.finished == 1
      retries: 20
      delay: 0.5
      ignore_errors: true
    - async_status: { jid: "{{ job.ansible_job_id }}", mode: cleanup }
    - copy: { content: "{{ [job.started, job.finished, early.finished, st.rc, st.stdout, st.stderr, slow_st.failed, slow_st.msg] | to_json }}", dest: /tmp/lb-as-result }
`,
    );
    const polled = ev.of('host_result').filter((e) => e.task === 'polled');
    expect(polled.find((e) => e.host === n1)?.msg).toBe('async task did not complete within the requested time - 2s');
    expect(polled.find((e) => e.host === n2)?.status).toBe('changed');
    expect(summary.hosts[n1]).toMatchObject({ failed: 0, ignored: 2 });
    for (const h of names()) {
      expect(JSON.parse(await sh(h, 'cat /tmp/lb-as-result'))).toEqual([1, 0, 0, 0, `out-${h}`, 'err', true, 'async task did not complete within the requested time']);
      expect(await sh(h, 'cat /tmp/lb-as-pid')).toMatch(/^\d+$/);
      // cleanup removed the first job's files; the timed-out one keeps out, err, rc and its timedout mark
      expect(await sh(h, 'cd "$HOME/.lifeboat_async" && ls | sed "s/^j[0-9]*//" | sort | tr "\\n" " "')).toBe('.err .out .rc .timedout');
    }
  }, 60_000);
});
