import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { FakeConnection, fakeCtx } from '../../../test/modules/fake.js';
import { LifeboatError } from '../../errors.js';
import { etcdLockModule, holderState, type LockRecord, pidStart, selfOwner } from './lock.js';

const lockOf = (over: Partial<LockRecord>): string => JSON.stringify({ run: 'R1', ...selfOwner(), user: 'root', started: '2026-12-04T10:00:00Z', ...over });
const withLock = (text: string) => new FakeConnection('a').on('restore.lock', { stdout: text });
const refusal = async (p: Promise<unknown>): Promise<LifeboatError> => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(LifeboatError);
  return e as LifeboatError;
};

describe('etcd_lock', () => {
  it('no lock: takes it atomically (noclobber) and leaves a resume hint', async () => {
    const op = await etcdLockModule.plan(fakeCtx({ run: 'R2', state_dir: '/s' }, withLock('')));
    const s = op.steps[0];
    expect(s?.kind === 'exec' && s.cmd).toContain('(set -C; cat > /s/restore.lock)');
    expect(JSON.parse((s?.kind === 'exec' && s.stdin) || '{}')).toMatchObject({ run: 'R2', pid: process.pid, controller: hostname() });
    expect(op.resume).toEqual({ vars: { etcd_resume: 'R2' }, why: expect.stringContaining('R2') });
  });

  it('held by a live run (this very process, another run): refused naming it, whatever resume says', async () => {
    const e = await refusal(etcdLockModule.plan(fakeCtx({ run: 'R2', resume: 'R1' }, withLock(lockOf({})))));
    expect(e.message).toContain('restore run R1 by root on');
    expect(e.hint).toContain('wait for it to finish');
  });

  it('stale (its process gone): refused with the command that resumes it; taken over with resume', async () => {
    const stale = lockOf({ owner: 'ctl:999999999:1', pid: 999_999_999, pid_start: '1', snapshot: '/b/s.db' });
    expect(holderState(JSON.parse(stale) as LockRecord)).toBe('gone');
    const e = await refusal(etcdLockModule.plan(fakeCtx({ run: 'R2' }, withLock(stale))));
    expect(e.message).toContain('stale: its owner is gone');
    expect(e.hint).toContain('-e etcd_resume=R1 -e snapshot=/b/s.db');
    const op = await etcdLockModule.plan(fakeCtx({ run: 'R1', resume: 'R1', snapshot: '/b/s.db' }, withLock(stale)));
    const step = op.steps[0];
    expect(step?.kind === 'exec' && step.cmd).toContain(`grep -qF '"run":"R1"'`);
    expect(JSON.parse((step?.kind === 'exec' && step.stdin) || '{}')).toMatchObject({ run: 'R1', resumed_from: 'ctl:999999999:1', started: '2026-12-04T10:00:00Z' });
    // the same command as a fresh take: a plan and its apply (other processes) render alike
    const fresh = (await etcdLockModule.plan(fakeCtx({ run: 'R1' }, withLock('')))).steps[0];
    expect(fresh?.kind === 'exec' && fresh.cmd).toBe(step?.kind === 'exec' && step.cmd);
    expect(op.resume?.vars).toEqual({ etcd_resume: 'R1', snapshot: '/b/s.db', fresh_snapshot: 'false' });
  });

  it('another controller: unknown owner, refused unless resumed', async () => {
    const other = lockOf({ owner: 'other:1:1', controller: `not-${hostname()}` });
    await refusal(etcdLockModule.plan(fakeCtx({ run: 'R2' }, withLock(other))));
    expect((await etcdLockModule.plan(fakeCtx({ run: 'R1', resume: 'R1' }, withLock(other)))).steps.length).toBe(1);
  });

  it("a restore's preflight (free, purpose restore): refused as the take would be; the resumed run's own lock passes", async () => {
    const e = await refusal(etcdLockModule.plan(fakeCtx({ run: 'preflight', state: 'free', purpose: 'restore' }, withLock(lockOf({})))));
    expect(e.message).toContain('another etcd restore holds the lock /var/lib/lifeboat/restore.lock: restore run R1 by root on');
    expect(e.hint).toContain('wait for it to finish');
    const ok = await etcdLockModule.plan(fakeCtx({ run: 'preflight', state: 'free', purpose: 'restore', resume: 'R1' }, withLock(lockOf({}))));
    expect([ok.changed, ok.steps]).toEqual([false, []]);
    const none = await etcdLockModule.plan(fakeCtx({ run: 'preflight', state: 'free', purpose: 'restore' }, withLock('')));
    expect(none.steps).toEqual([]);
  });

  it('release removes only its own lock and clears the hint', async () => {
    const mine = await etcdLockModule.plan(fakeCtx({ run: 'R1', state: 'absent' }, withLock(lockOf({}))));
    expect(mine.steps[0]?.kind === 'exec' && mine.steps[0].cmd).toBe(`if grep -qF '"run":"R1"' /var/lib/lifeboat/restore.lock 2>/dev/null; then rm -f /var/lib/lifeboat/restore.lock; fi`);
    expect(mine.resume).toBeNull();
    const theirs = await etcdLockModule.plan(fakeCtx({ run: 'R2', state: 'absent' }, withLock(lockOf({}))));
    expect(theirs.steps).toEqual([]);
    // no lock: nothing to release — unless, in a plan, an earlier task of the plan takes it
    const none = await etcdLockModule.plan(fakeCtx({ run: 'R1', state: 'absent' as const }, withLock('')));
    expect([none.changed, none.steps]).toEqual([false, []]);
    const take = await etcdLockModule.plan(fakeCtx({ run: 'R1' }, withLock(''), { check: true }));
    const planned = await etcdLockModule.plan(fakeCtx({ run: 'R1', state: 'absent' as const }, withLock(''), { check: true, earlierSteps: take.steps }));
    expect(planned.steps).toHaveLength(1);
  });

  it('free (a backup): passes with no lock or this run\'s own, refuses another run\'s naming it, changes nothing', async () => {
    expect((await etcdLockModule.plan(fakeCtx({ run: 'backup', state: 'free' as const }, withLock('')))).steps).toEqual([]);
    const own = await etcdLockModule.plan(fakeCtx({ run: 'R1', state: 'free' as const }, withLock(lockOf({}))));
    expect([own.changed, own.steps, own.result?.held_by_this_run]).toEqual([false, [], true]);
    const e = await refusal(etcdLockModule.plan(fakeCtx({ run: 'backup', state: 'free' as const }, withLock(lockOf({ snapshot: '/b/s.db' })))));
    expect(e.message).toMatch(/^an etcd restore holds the lock \/var\/lib\/lifeboat\/restore\.lock: restore run R1 by root on .*snapshot \/b\/s\.db; a snapshot now could catch members mid-restore$/);
    expect(e.hint).toContain('mv /var/lib/lifeboat/restore.lock /var/lib/lifeboat/restore.lock.cleared');
  });

  it('pidStart names this process', () => {
    expect(pidStart(process.pid)).toMatch(/^\d+$/);
    expect(pidStart(999_999_999)).toBeUndefined();
  });
});
