import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/connection/index.js';
import type { Connection } from '../../src/connection/types.js';
import { describeLab } from '../lab/fixture.js';
import { threeRuns } from './idempotence.js';
import { labPool } from './lab-conn.js';
import { runModule } from './run.js';

/** user, group, raw, tempfile (changing) and find, slurp (read-only) over real SSH on a lab host. */
describeLab('accounts and file queries on a lab host', { hosts: 1, etcd: 0, masters: 0, tls: false }, (lab) => {
  let pool: ConnectionPool;
  let conn: Connection;
  const sh = async (cmd: string) => {
    const r = await lab().sh('node1', cmd);
    expect(r.rc, r.stderr).toBe(0);
    return r.stdout;
  };
  const run = (name: string, args: Record<string, unknown>, over = {}) => runModule(name, args, conn, over);
  beforeAll(async () => {
    pool = labPool(lab());
    conn = await pool.get('node1');
  });
  afterAll(async () => {
    await pool?.closeAll();
  });

  it('group: add with a gid, change it, remove; each idempotent', async () => {
    await threeRuns(conn, 'group', { name: 'lbgrp', gid: 4711 }, { unchanged: async () => expect(await sh('getent group lbgrp || echo none')).toBe('none\n') });
    expect(await sh('getent group lbgrp')).toBe('lbgrp:x:4711:\n');
    await threeRuns(conn, 'group', { name: 'lbgrp', gid: 4712 }, { unchanged: async () => expect(await sh('getent group lbgrp')).toBe('lbgrp:x:4711:\n') });
    expect(await sh('getent group lbgrp')).toBe('lbgrp:x:4712:\n');
    await run('group', { name: 'lbgrp2' });
  });

  it('user: add (home under /var), change shell and groups, lock, remove; each idempotent', async () => {
    const args = { name: 'lbuser', uid: 4800, home: '/var/lib/lbuser', shell: '/bin/sh', groups: ['lbgrp'], comment: 'Lifeboat test' };
    await threeRuns(conn, 'user', args, { unchanged: async () => expect(await sh('getent passwd lbuser || echo none')).toBe('none\n') });
    expect(await sh('getent passwd lbuser; id -Gn lbuser; test -d /var/lib/lbuser && echo home')).toBe('lbuser:x:4800:4800:Lifeboat test:/var/lib/lbuser:/bin/sh\nlbuser lbgrp\nhome\n');
    await threeRuns(conn, 'user', { name: 'lbuser', shell: '/bin/bash', groups: 'lbgrp2', append: true }, { unchanged: async () => {} });
    expect(await sh('getent passwd lbuser | cut -d: -f7; id -Gn lbuser')).toBe('/bin/bash\nlbuser lbgrp lbgrp2\n');
    const exact = await threeRuns(conn, 'user', { name: 'lbuser', groups: ['lbgrp2'] }, { unchanged: async () => {} });
    expect(exact.first.groups).toBe('lbgrp2');
    expect(await sh('id -Gn lbuser')).toBe('lbuser lbgrp2\n');
    const hash = '$6$lbsalt$notarealhashbutavalidfield';
    const pw = await threeRuns(conn, 'user', { name: 'lbuser', password: hash }, { unchanged: async () => {} });
    expect(JSON.stringify(pw.plan.steps)).toContain(hash);
    expect((pw.plan.steps[0] as { secrets?: string[] }).secrets).toEqual([hash]);
    expect(await sh('getent shadow lbuser | cut -d: -f2')).toBe(`${hash}\n`);
    await threeRuns(conn, 'user', { name: 'lbuser', password_lock: true }, { unchanged: async () => {} });
    expect(await sh('getent shadow lbuser | cut -d: -f2 | cut -c1')).toBe('!\n');
    const gone = await threeRuns(conn, 'user', { name: 'lbuser', state: 'absent', remove: true }, { unchanged: async () => {} });
    expect(gone.plan.steps[0]).toMatchObject({ destructive: expect.stringContaining('lbuser') });
    expect(await sh('getent passwd lbuser || echo none; test -d /var/lib/lbuser || echo nohome')).toBe('none\nnohome\n');
    await threeRuns(conn, 'group', { name: 'lbgrp', state: 'absent' }, { unchanged: async () => {} });
  });

  it('raw runs the line as is; fails on a non-zero exit code; tempfile makes a new file or directory', async () => {
    const r = await run('raw', { _raw_params: 'echo hi; echo $((1+2)) > /tmp/lb-raw' });
    expect(r.result).toMatchObject({ changed: true, rc: 0, stdout: 'hi' });
    expect(await sh('cat /tmp/lb-raw')).toBe('3\n');
    expect((await run('raw', { _raw_params: 'exit 3' })).result).toMatchObject({ failed: true, rc: 3 });
    expect((await run('raw', { _raw_params: 'echo x > /tmp/lb-raw2' }, { check: true })).op.changed).toBe('unknown');
    expect(await sh('test -e /tmp/lb-raw2 || echo none')).toBe('none\n');
    const t = await run('tempfile', { state: 'directory', path: '/var/tmp', suffix: '.lb' });
    expect(t.result.path).toMatch(/^\/var\/tmp\/ansible\.\w{8}\.lb$/);
    expect(await sh(`test -d '${t.result.path}' && echo dir`)).toBe('dir\n');
    const f = await run('tempfile', { prefix: 'lb-' });
    expect(await sh(`test -f '${f.result.path}' && echo file`)).toBe('file\n');
    const plan = await run('tempfile', {}, { check: true });
    expect(plan.op.steps.length).toBe(1);
  });

  it('find and slurp read the host as it is', async () => {
    await sh("mkdir -p /var/lbfind/sub /var/lbfind/.hid && echo 'port=2379' > /var/lbfind/a.conf && echo x > /var/lbfind/b.txt && echo 'port=1' > /var/lbfind/sub/c.conf && echo h > /var/lbfind/.hid/d.conf && touch -d '10 days ago' /var/lbfind/b.txt");
    const paths = (r: { result: Record<string, unknown> }) => (r.result.files as Array<{ path: string }>).map((f) => f.path).sort();
    expect(paths(await run('find', { paths: '/var/lbfind', patterns: '*.conf' }))).toEqual(['/var/lbfind/a.conf']);
    expect(paths(await run('find', { paths: ['/var/lbfind'], patterns: ['*.conf'], recurse: true }))).toEqual(['/var/lbfind/a.conf', '/var/lbfind/sub/c.conf']);
    expect(paths(await run('find', { paths: '/var/lbfind', recurse: true, hidden: true, patterns: '^d\\.', use_regex: true }))).toEqual(['/var/lbfind/.hid/d.conf']);
    expect(paths(await run('find', { paths: '/var/lbfind', age: '5d' }))).toEqual(['/var/lbfind/b.txt']);
    expect(paths(await run('find', { paths: '/var/lbfind', recurse: true, contains: 'port=23\\d+' }))).toEqual(['/var/lbfind/a.conf']);
    expect(paths(await run('find', { paths: '/var/lbfind', file_type: 'directory' }))).toEqual(['/var/lbfind/sub']);
    const f = await run('find', { paths: '/var/lbfind', patterns: 'a.conf' });
    expect(f.result).toMatchObject({ changed: false, matched: 1 });
    expect((f.result.files as Array<Record<string, unknown>>)[0]).toMatchObject({ isreg: true, pw_name: 'root', size: 10 });
    expect((await run('find', { paths: '/nonexistent' })).result.skipped_paths).toHaveProperty('/nonexistent');
    const s = await run('slurp', { src: '/var/lbfind/a.conf' });
    expect(s.result).toMatchObject({ changed: false, encoding: 'base64', source: '/var/lbfind/a.conf' });
    expect(Buffer.from(String(s.result.content), 'base64').toString()).toBe('port=2379\n');
    expect((await run('slurp', { src: '/var/lbfind/nope' })).result).toMatchObject({ failed: true, msg: 'file not found: /var/lbfind/nope' });
  });
});
