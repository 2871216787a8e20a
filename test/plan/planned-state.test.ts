import { describe, expect, it } from 'vitest';
import { runDate, runStamp } from '../../src/modules/etcd/run-ts.js';
import { plannedRunning } from '../../src/modules/lib/service-planned.js';
import type { Step } from '../../src/modules/types.js';
import { runStamp as planStamp, withRunStamp } from '../../src/planner/stamp.js';

const exec = (cmd: string): Step => ({ kind: 'exec', cmd });
const sysv = (name: string, verb: string) => `if command -v service >/dev/null 2>&1; then service ${name} ${verb}; else /etc/init.d/${name} ${verb}; fi`;

describe('plannedRunning: what earlier planned steps do to a service', () => {
  it('the last stop/start/restart of that service wins; other services and commands do not count', () => {
    expect(plannedRunning(undefined, 'etcd')).toBeUndefined();
    expect(plannedRunning([exec('echo hi'), exec(sysv('etcd2', 'stop'))], 'etcd')).toBeUndefined();
    expect(plannedRunning([exec(sysv('etcd', 'stop'))], 'etcd')).toBe(false);
    expect(plannedRunning([exec(sysv('etcd', 'stop')), exec(sysv('etcd', 'start'))], 'etcd')).toBe(true);
    expect(plannedRunning([exec('systemctl --no-block stop etcd.service')], 'etcd.service')).toBe(false);
    expect(plannedRunning([exec('systemctl restart etcd')], 'etcd')).toBe(true);
    expect(plannedRunning([{ kind: 'put', dest: '/etc/default/etcd', content: 'x' }], 'etcd')).toBeUndefined();
  });
});

describe('one run timestamp for a plan and its apply', () => {
  it('the planner gives the plan time as lifeboat_run_ts, and the etcd modules read it back as the same time', () => {
    const t = new Date('2026-11-22T01:02:03.456Z');
    const vars = withRunStamp({ a: 1 }, t);
    expect(vars).toEqual({ a: 1, lifeboat_run_ts: '20261122T010203Z' });
    expect(runStamp(vars)).toBe(planStamp(t));
    expect(runDate(vars).toISOString()).toBe('2026-11-22T01:02:03.000Z');
    // a value given with -e wins; without one (a plain run) it is now
    expect(withRunStamp({ lifeboat_run_ts: '20250101T000000Z' }, t).lifeboat_run_ts).toBe('20250101T000000Z');
    for (const v of [{}, { lifeboat_run_ts: 'not a stamp' }]) {
      const lo = Date.now();
      const d = runDate(v).getTime();
      expect(d).toBeGreaterThanOrEqual(lo);
      expect(d).toBeLessThanOrEqual(Date.now());
    }
  });
});
