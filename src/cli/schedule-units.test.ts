import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cronJob, type Schedule, serviceUnit, systemdWord, timerUnit } from './schedule-units.js';

const s: Schedule = {
  name: 'prod',
  playbook: '/ops/playbooks/etcd-backup.yml',
  inventories: ['/ops/inventories/prod'],
  extraVars: ['etcd_backup_dir=/srv/backups 100%', 'x=$HOME'],
  onCalendar: 'hourly',
  randomizedDelay: '5m',
  workingDirectory: '/ops',
  node: '/usr/bin/node',
  bin: '/opt/lifeboat/bin/lifeboat.js',
};

describe('schedule units', () => {
  it('quote and escape argv words as systemd reads them (% and $ doubled)', () => {
    expect(systemdWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(systemdWord('a b "c"')).toBe('"a b \\"c\\""');
    expect(systemdWord('x=$HOME')).toBe('"x=$$HOME"');
    expect(systemdWord('100%')).toBe('"100%%"');
  });
  it('a oneshot service under a lock, and its timer', () => {
    expect(serviceUnit(s)).toContain(
      'ExecStart=/usr/bin/flock -n -E 75 /run/lock/lifeboat-prod.lock /usr/bin/node /opt/lifeboat/bin/lifeboat.js run /ops/playbooks/etcd-backup.yml -i /ops/inventories/prod -e "etcd_backup_dir=/srv/backups 100%%" -e "x=$$HOME" --output plain\n',
    );
    expect(timerUnit(s)).toContain('OnCalendar=hourly\nRandomizedDelaySec=5m\nPersistent=true\nUnit=lifeboat-prod.service\n');
    expect(timerUnit({ ...s, accuracy: '1s' })).toContain('RandomizedDelaySec=5m\nAccuracySec=1s\nPersistent=true\n');
  });
  it('the same run as a CronJob that never overlaps', () => {
    const doc = parse(cronJob({ ...s, playbook: 'playbooks/etcd-backup.yml', inventories: ['inventories/prod'] }, { cron: '0 * * * *', image: 'registry.example/lifeboat:1', namespace: 'ops' }));
    expect(doc.spec.schedule).toBe('0 * * * *');
    expect(doc.spec.concurrencyPolicy).toBe('Forbid');
    const c = doc.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.args).toEqual(['run', 'playbooks/etcd-backup.yml', '-i', 'inventories/prod', '-e', 'etcd_backup_dir=/srv/backups 100%', '-e', 'x=$HOME', '--output', 'plain']);
    expect(c.command).toEqual(['lifeboat']);
  });
});
