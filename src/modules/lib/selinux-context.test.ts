import { describe, expect, it } from 'vitest';
import { FakeConnection, fakeCtx } from '../../../test/modules/fake.js';
import type { Operation } from '../types.js';
import { chconOptions, withSelinux } from './selinux-context.js';

const unchanged: Operation = { changed: false, steps: [] };
const writing: Operation = { changed: true, steps: [{ kind: 'exec', cmd: 'write it', description: 'write' }] };

describe('SELinux arguments (seuser, serole, setype, selevel)', () => {
  it('compares part by part; the level keeps its own colons; _default asks nothing', () => {
    expect(chconOptions({ setype: 'etc_t' }, 'system_u:object_r:etc_t:s0')).toEqual([]);
    expect(chconOptions({ setype: 'etc_t', seuser: 'system_u' }, 'unconfined_u:object_r:user_tmp_t:s0')).toEqual(['-u', 'system_u', '-t', 'etc_t']);
    expect(chconOptions({ selevel: 's0:c1,c2' }, 'system_u:object_r:etc_t:s0:c1,c2')).toEqual([]);
    expect(chconOptions({ setype: '_default' }, 'system_u:object_r:etc_t:s0')).toEqual([]);
    expect(chconOptions({ serole: 'object_r' }, undefined)).toEqual(['-r', 'object_r']);
  });

  it('SELinux not enabled on the host: nothing added (as Ansible), the operation as it was', async () => {
    const conn = new FakeConnection('a').on('selinuxenabled', { stdout: 'off\n' });
    expect(await withSelinux(fakeCtx({}, conn), unchanged, '/etc/k.env', { setype: 'etc_t' })).toBe(unchanged);
    // not asked: not even probed
    const quiet = new FakeConnection('a');
    expect(await withSelinux(fakeCtx({}, quiet), writing, '/etc/k.env', {})).toBe(writing);
    expect(quiet.execs).toEqual([]);
  });

  it('enabled: chcon for a context that differs, or after a write (the new file has the default context)', async () => {
    const conn = new FakeConnection('a').on('selinuxenabled', { stdout: 'on\nsystem_u:object_r:user_tmp_t:s0\n' });
    const op = await withSelinux(fakeCtx({}, conn), unchanged, '/etc/k 1.env', { setype: 'etc_t' });
    expect(op.changed).toBe(true);
    expect(op.steps.map((s) => s.kind === 'exec' && s.cmd)).toEqual(["chcon -t etc_t -- '/etc/k 1.env'"]);
    const same = new FakeConnection('a').on('selinuxenabled', { stdout: 'on\nsystem_u:object_r:etc_t:s0\n' });
    expect(await withSelinux(fakeCtx({}, same), unchanged, '/etc/k.env', { setype: 'etc_t' })).toBe(unchanged);
    const after = await withSelinux(fakeCtx({}, same), writing, '/etc/k.env', { setype: 'etc_t', seuser: 'system_u' });
    expect(after.steps.map((s) => s.kind === 'exec' && s.cmd)).toEqual(['write it', 'chcon -u system_u -t etc_t -- /etc/k.env']);
  });
});
