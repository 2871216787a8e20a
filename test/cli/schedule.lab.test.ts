/**
 * `lifeboat schedule` on a systemd lab host (systemd as its PID 1): the units it writes verify, the timer is
 * enabled, a run started by systemd logs to the journal and exits with the run's status, an overlapping run is
 * refused by the lock (status 75), and `remove` takes it all away.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { BUILT, ROOT } from './helpers.js';

const SKIP = labSkipReason() ?? (BUILT ? undefined : 'dist/ is missing: npm run build');
if (SKIP) console.warn(`[lab] skipping the schedule lab test: ${SKIP}`);

describe.skipIf(SKIP !== undefined)('lifeboat schedule on a systemd host', () => {
  it('installs a timer whose runs log to the journal, refuses overlaps, and removes it', async () => {
    const lab = await startLab({ hosts: 1, etcd: 0, masters: 0, init: 'systemd' });
    const bin = path.join(ROOT, 'bin/lifeboat.js');
    try {
      const setup = [
        'mkdir -p /root/sched && cd /root/sched',
        `printf 'local:\\n  hosts:\\n    here:\\n      ansible_connection: local\\n' > hosts.yml`,
        `printf -- '- hosts: local\\n  gather_facts: false\\n  tasks:\\n    - shell: date +%%s >> /root/sched/ran\\n    - fail: { msg: "asked to fail" }\\n      when: fail_now | default(false) | bool\\n' > play.yml`,
        `node ${bin} schedule add t1 -i hosts.yml --playbook play.yml --on-calendar '*-*-* 03:00:00' --randomized-delay 1m`,
      ].join(' && ');
      const add = await lab.sh('node1', setup);
      expect(add.stdout + add.stderr).toContain('wrote lifeboat-t1.service and lifeboat-t1.timer to /etc/systemd/system and enabled the timer');
      expect((await lab.sh('node1', 'systemctl is-enabled lifeboat-t1.timer; systemctl is-active lifeboat-t1.timer')).stdout).toBe('enabled\nactive\n');
      expect((await lab.sh('node1', 'systemd-analyze verify /etc/systemd/system/lifeboat-t1.service /etc/systemd/system/lifeboat-t1.timer 2>&1 | grep -i lifeboat; true')).stdout).toBe('');
      // a run as the timer would start it: to the journal, the run's exit status
      expect((await lab.sh('node1', 'systemctl start lifeboat-t1.service; echo rc=$?; wc -l < /root/sched/ran')).stdout).toBe('rc=0\n1\n');
      expect((await lab.sh('node1', 'journalctl -t lifeboat-t1 --no-pager -o cat')).stdout).toMatch(/RECAP[\s\S]*here\s+ok=0 changed=1 failed=0 skipped=1/);
      // an overlapping run: the lock refuses it with 75 and it does not run
      const busy = await lab.sh('node1', '(flock /run/lock/lifeboat-t1.lock sleep 3 &) ; sleep 0.3; systemctl start lifeboat-t1.service; echo rc=$?; systemctl show -p ExecMainStatus --value lifeboat-t1.service; wc -l < /root/sched/ran');
      expect(busy.stdout).toMatch(/^rc=[1-9]\d*\n75\n1\n$/);
      // a run that fails: the unit fails with the run's exit status (2: a task failed)
      const fail = await lab.sh('node1', `cd /root/sched && node ${bin} schedule add t2 -i hosts.yml --playbook play.yml --on-calendar daily -e fail_now=true >/dev/null && systemctl start lifeboat-t2.service; echo rc=$?; systemctl show -p ExecMainStatus --value lifeboat-t2.service; journalctl -t lifeboat-t2 --no-pager -o cat | grep -c 'asked to fail'`);
      expect(fail.stdout).toMatch(/^rc=[1-9]\d*\n2\n[1-9]\d*\n$/);
      const rm = await lab.sh('node1', `cd /root/sched && node ${bin} schedule remove t1 && ls /etc/systemd/system | grep -c lifeboat-t1; systemctl is-active lifeboat-t1.timer`);
      expect(rm.stdout).toBe('removed lifeboat-t1.timer and lifeboat-t1.service from /etc/systemd/system\n0\ninactive\n');
    } finally {
      await lab.stop();
    }
  }, 120_000);
});
