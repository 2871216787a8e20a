/**
 * A schedule that fires by itself: a systemd lab host acting as the controller (Lifeboat and the etcd member on
 * the same machine, the member reached through a local connection) gets `lifeboat schedule add` with a calendar
 * of every 5 s (no randomized delay, AccuracySec 1s); systemd's timer — nobody starts the service — runs
 * etcd-backup.yml and the backups land in an S3 store (s3rver on the lab bridge's controller address); a run due
 * while another holds the schedule's lock is refused with status 75 and adds nothing.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { S3Store } from '../../src/modules/etcd/s3-store.js';
import { startS3 } from '../etcd/s3-server.js';
import { labSkipReason } from '../lab/fixture.js';
import { startLab } from '../lab/index.js';
import { BUILT, ROOT } from './helpers.js';

const SKIP = labSkipReason() ?? (BUILT ? undefined : 'dist/ is missing: npm run build');
if (SKIP) console.warn(`[lab] skipping the schedule-fires lab test: ${SKIP}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(SKIP !== undefined)('a schedule that fires by itself on a systemd controller', () => {
  it('backs up to the S3 store on its own, and refuses a run while the lock is held (75)', async () => {
    const lab = await startLab({ hosts: 1, etcd: 1, masters: 0, init: 'systemd', seedKeys: 20 });
    const s3 = await startS3('lifeboat-backups', `10.251.${lab.id}.1`);
    const url = 's3://lifeboat-backups/etcd/fire';
    const store = new S3Store(url, s3.options);
    const bin = path.join(ROOT, 'bin/lifeboat.js');
    try {
      const inv = parse(await readFile(lab.inventoryYaml, 'utf8')) as { all: { vars?: Record<string, unknown> } };
      inv.all.vars = { ...(inv.all.vars ?? {}), ...s3.vars, etcd_backup_store: url, etcd_backup_dir: '/root/fire/backups', etcd_backup_retain: 0 };
      const b64 = Buffer.from(stringify(inv)).toString('base64');
      const add = await lab.sh(
        'node1',
        `mkdir -p /root/fire && cd /root/fire && echo ${b64} | base64 -d > inv.yml && node ${bin} schedule add fire -i inv.yml --playbook ${path.join(ROOT, 'playbooks/etcd-backup.yml')} --on-calendar '*:*:0/5' --randomized-delay 0 --accuracy 1s -e ansible_connection=local`,
      );
      expect(add.stdout + add.stderr).toContain('wrote lifeboat-fire.service and lifeboat-fire.timer to /etc/systemd/system and enabled the timer');
      expect((await lab.sh('node1', 'grep -E "^(OnCalendar|RandomizedDelaySec|AccuracySec)=" /etc/systemd/system/lifeboat-fire.timer')).stdout).toBe('OnCalendar=*:*:0/5\nRandomizedDelaySec=0\nAccuracySec=1s\n');

      // nobody starts the service: the timer does, and a backup lands in the store
      let listed = await store.list();
      for (let i = 0; i < 90 && listed.length < 1; i++) {
        await sleep(1000);
        listed = await store.list();
      }
      const journal = (await lab.sh('node1', 'journalctl -t lifeboat-fire --no-pager -o cat | tail -n 30')).stdout;
      expect(listed.length, journal).toBeGreaterThanOrEqual(1);
      expect(path.basename(listed[0]?.file ?? '')).toMatch(/^etcd-etcd-node1-\d{8}T\d{6}Z\.db$/);
      expect((await lab.sh('node1', 'journalctl -u lifeboat-fire.timer -u lifeboat-fire.service --no-pager -o cat | grep -c "Starting lifeboat-fire.service\\|Starting Lifeboat"; true')).stdout.trim()).not.toBe('0');
      expect(journal).toMatch(/RECAP[\s\S]*node1\s+ok=\d+ changed=[1-9]\d* failed=0/);

      // a run already going (the lock held): the timer's next runs are refused with 75 and back up nothing
      // take the lock only between two runs, never waiting behind one (whose backup would land after `during`)
      const took = await lab.sh(
        'node1',
        'systemctl reset-failed lifeboat-fire.service 2>/dev/null; for i in $(seq 1 100); do ' +
          'if systemctl is-active -q lifeboat-fire.service; then sleep 0.2; continue; fi; rm -f /run/lb-took; ' +
          "(flock -n /run/lock/lifeboat-fire.lock sh -c 'touch /run/lb-took; sleep 14' &); sleep 0.3; [ -e /run/lb-took ] && break; done; test -e /run/lb-took",
      );
      expect(took.rc, took.stderr).toBe(0);
      const during = (await store.list()).length;
      let status = '';
      for (let i = 0; i < 12 && status !== '75'; i++) {
        await sleep(1000);
        status = (await lab.sh('node1', 'systemctl show -p ExecMainStatus --value lifeboat-fire.service')).stdout.trim();
      }
      expect(status).toBe('75');
      expect((await lab.sh('node1', 'systemctl is-failed lifeboat-fire.service; true')).stdout.trim()).toBe('failed');
      expect((await store.list()).length).toBe(during);

      // the lock released: the timer's runs back up again
      await sleep(14_000);
      let after = (await store.list()).length;
      for (let i = 0; i < 60 && after <= during; i++) {
        await sleep(1000);
        after = (await store.list()).length;
      }
      expect(after).toBeGreaterThan(during);
      const rm = await lab.sh('node1', `cd /root/fire && node ${bin} schedule remove fire; systemctl is-active lifeboat-fire.timer; true`);
      expect(rm.stdout).toContain('removed lifeboat-fire.timer and lifeboat-fire.service');
    } finally {
      store.destroy();
      await lab.stop();
      await s3.stop();
    }
  }, 240_000);
});
