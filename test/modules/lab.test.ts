import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/connection/index.js';
import type { Connection } from '../../src/connection/types.js';
import { describeLab } from '../lab/fixture.js';
import { labPool } from './lab-conn.js';
import { runModule } from './run.js';

/**
 * Every host-touching module over real SSH (ssh2) on a real lab host (own namespaces, sshd, etcd and
 * kube-apiserver stand-in run by init scripts). Results are checked on the host through Lab.sh, not over SSH.
 */
describeLab('modules over SSH on a lab host', { hosts: 1, etcd: 1, masters: 1, tls: false }, (lab) => {
  let pool: ConnectionPool;
  let conn: Connection;
  let pb: string;
  const sh = async (cmd: string) => {
    const r = await lab().sh('node1', cmd);
    expect(r.rc, r.stderr).toBe(0);
    return r.stdout;
  };
  beforeAll(async () => {
    pool = labPool(lab());
    conn = await pool.get('node1');
    pb = await mkdtemp(join(tmpdir(), 'lb-mod-pb-'));
    await mkdir(join(pb, 'files'));
    await mkdir(join(pb, 'templates'));
    await writeFile(join(pb, 'files', 'motd'), 'welcome to the lifeboat lab\n');
    await writeFile(
      join(pb, 'templates', 'etcd.env.j2'),
      'ETCD_NAME={{ name }}\n{% for p in peers %}PEER={{ p }}\n{% endfor %}',
    );
    await mkdir(join(pb, 'files', 'certs', 'etcd'), { recursive: true });
    await writeFile(join(pb, 'files', 'certs', 'ca.crt'), 'CA\n');
    await writeFile(join(pb, 'files', 'certs', 'etcd', 'peer.key'), 'KEY\n');
    await writeFile(join(pb, 'files', 'probe.sh'), '#!/bin/sh\necho "args:$*"; echo "me:$0" >&2; exit 3\n');
  });
  afterAll(async () => {
    await pool?.closeAll();
    if (pb) await rm(pb, { recursive: true, force: true });
  });
  const run = (name: string, args: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    runModule(name, args, conn, { playbookDir: pb, ...over });

  it('command: words stay words; rc, stdout and failure come back', async () => {
    const ok = await run('command', { argv: ['echo', '; rm -rf /', '$(id)'] });
    expect(ok.result).toMatchObject({ rc: 0, stdout: '; rm -rf / $(id)', changed: true });
    expect(await sh('test -d /etc && test -d /usr && echo intact')).toBe('intact\n');
    const bad = await run('command', { _raw_params: 'ls /nonexistent-dir' });
    expect(bad.result).toMatchObject({ failed: true, rc: 2 });
    expect(bad.result.stderr).toContain('nonexistent-dir');
    const sk = await run('shell', { cmd: 'echo x > /tmp/made; echo $(hostname)', creates: '/tmp/made' });
    expect(sk.result.stdout).toBe('node1');
    const again = await run('shell', { cmd: 'echo x > /tmp/made', creates: '/tmp/m*' });
    expect(again.op.steps).toEqual([]);
    expect(again.result.changed).toBe(false);
  });

  it('script: uploads, runs with args, removes the copy', async () => {
    const r = await run('script', { _raw_params: 'probe.sh "a b" c' });
    expect(r.result).toMatchObject({ failed: true, rc: 3, stdout: 'args:a b c' });
    const path = /me:(\S+)/.exec(String(r.result.stderr))?.[1] ?? '';
    expect(path).toMatch(/^\/tmp\/\.lifeboat-script-/);
    expect(await sh(`test -e '${path}' && echo left || echo gone`)).toBe('gone\n');
  });

  it('copy: writes, second run is no change, attributes and content checked on the host', async () => {
    const args = { src: 'motd', dest: '/etc/motd.lifeboat', mode: '0640', owner: 'etcd', group: 'root' };
    const planned = await run('copy', args, { check: true });
    expect(planned.op.changed).toBe(true);
    expect(planned.op.diff?.[0]).toMatchObject({ before: '', after: 'welcome to the lifeboat lab\n' });
    expect(await sh('test -e /etc/motd.lifeboat && echo yes || echo no')).toBe('no\n');
    const first = await run('copy', args);
    expect(first.result).toMatchObject({ changed: true, mode: '0640' });
    expect(first.result.failed).toBeUndefined();
    expect(await sh("stat -c '%a %U %G' /etc/motd.lifeboat; cat /etc/motd.lifeboat")).toBe(
      '640 etcd root\nwelcome to the lifeboat lab\n',
    );
    const second = await run('copy', args);
    expect(second.op.steps).toEqual([]);
    expect(second.result.changed).toBe(false);
    const content = await run('copy', { content: 'new\n', dest: '/etc/motd.lifeboat', backup: true });
    expect(content.result.changed).toBe(true);
    expect(await sh("stat -c '%a %U' /etc/motd.lifeboat; cat /etc/motd.lifeboat")).toBe('640 etcd\nnew\n');
    expect(await sh(`cat '${content.result.backup_file}'`)).toBe('welcome to the lifeboat lab\n');
    const remote = { src: '/etc/hostname', dest: '/tmp/hostname.copy', remote_src: true, mode: '0600' };
    expect((await run('copy', remote)).result.changed).toBe(true);
    expect(await sh("stat -c '%a' /tmp/hostname.copy; cat /tmp/hostname.copy")).toBe('600\nnode1\n');
    expect((await run('copy', remote)).op.steps).toEqual([]);
    await sh('ln -sf /tmp/hostname.copy /tmp/via-link');
    const follow = await run('copy', { content: 'through\n', dest: '/tmp/via-link', follow: true });
    expect(follow.result.changed).toBe(true);
    expect(await sh('readlink /tmp/via-link; cat /tmp/hostname.copy')).toBe('/tmp/hostname.copy\nthrough\n');
  });

  it('copy: a directory tree, owner and modes applied, second run no change', async () => {
    const args = { src: 'certs/', dest: '/etc/lbcerts', mode: '0600', owner: 'etcd', directory_mode: '0750' };
    const r = await run('copy', args);
    expect(r.result.failed).toBeUndefined();
    expect(r.result.changed).toBe(true);
    expect(await sh("cd /etc/lbcerts && stat -c '%n %a %U' . etcd ca.crt etcd/peer.key && cat etcd/peer.key")).toBe(
      '. 750 root\netcd 750 root\nca.crt 600 etcd\netcd/peer.key 600 etcd\nKEY\n',
    );
    expect((await run('copy', args)).op.steps).toEqual([]);
  });

  it('file: directory, link, touch, absent — each idempotent', async () => {
    const dir = { path: '/var/lib/lbtest/a', state: 'directory', mode: '0750', owner: 'etcd' };
    expect((await run('file', dir)).result.changed).toBe(true);
    expect(await sh("stat -c '%a %U' /var/lib/lbtest/a")).toBe('750 etcd\n');
    expect((await run('file', dir)).op.steps).toEqual([]);
    const rec = await run('file', { path: '/var/lib/lbtest', state: 'directory', owner: 'etcd', recurse: true });
    expect(rec.result.changed).toBe(true);
    expect(await sh("stat -c '%U' /var/lib/lbtest")).toBe('etcd\n');
    expect(
      (await run('file', { path: '/var/lib/lbtest', state: 'directory', owner: 'etcd', recurse: true })).op.steps,
    ).toEqual([]);
    const link = { path: '/var/lib/lbtest/cur', state: 'link', src: '/var/lib/lbtest/a' };
    expect((await run('file', link)).result.changed).toBe(true);
    expect(await sh('readlink /var/lib/lbtest/cur')).toBe('/var/lib/lbtest/a\n');
    expect((await run('file', link)).result.changed).toBe(false);
    // state: hard — the same inode is no change; another file only with force; a relative src refused
    await sh('echo one > /var/lib/lbtest/h.src; echo other > /var/lib/lbtest/h.other');
    const hard = { path: '/var/lib/lbtest/h.link', state: 'hard', src: '/var/lib/lbtest/h.src' };
    expect((await run('file', hard, { check: true })).op.steps.length).toBe(1);
    expect((await run('file', hard)).result.changed).toBe(true);
    expect(await sh('stat -c %i /var/lib/lbtest/h.src /var/lib/lbtest/h.link | uniq | wc -l; cat /var/lib/lbtest/h.link')).toBe('1\none\n');
    expect((await run('file', hard)).op.steps).toEqual([]);
    const onto = { ...hard, path: '/var/lib/lbtest/h.other' };
    expect((await run('file', onto)).result).toMatchObject({ failed: true, msg: expect.stringContaining('Cannot link') });
    expect(await sh('cat /var/lib/lbtest/h.other')).toBe('other\n');
    expect((await run('file', { ...onto, force: true })).result.changed).toBe(true);
    expect(await sh('cat /var/lib/lbtest/h.other')).toBe('one\n');
    await expect(run('file', { ...hard, src: 'h.src' })).rejects.toThrow(/absolute path for state=hard/);
    expect((await run('file', { path: '/var/lib/lbtest/a/t', state: 'touch' })).result.changed).toBe(true);
    const gone = await run('file', { path: '/var/lib/lbtest', state: 'absent' });
    expect(gone.op.steps[0]).toMatchObject({ destructive: expect.stringContaining('/var/lib/lbtest') });
    expect(await sh('test -e /var/lib/lbtest && echo there || echo gone')).toBe('gone\n');
    expect((await run('file', { path: '/var/lib/lbtest', state: 'absent' })).result.changed).toBe(false);
  });

  it('template: renders with the task vars, then no change on the second run', async () => {
    const vars = { name: 'etcd-node1', peers: ['http://a:2380', 'http://b:2380'] };
    const args = { src: 'etcd.env.j2', dest: '/etc/default/etcd.lifeboat', mode: '0600' };
    const r = await run('template', args, { vars });
    expect(r.result.changed).toBe(true);
    expect(await sh('cat /etc/default/etcd.lifeboat')).toBe(
      'ETCD_NAME=etcd-node1\nPEER=http://a:2380\nPEER=http://b:2380\n',
    );
    expect((await run('template', args, { vars })).op.steps).toEqual([]);
    const changed = await run('template', args, { vars: { ...vars, name: 'x' }, check: true });
    expect(changed.op.diff?.[0]?.before).toContain('ETCD_NAME=etcd-node1');
    expect(changed.op.diff?.[0]?.after).toContain('ETCD_NAME=x');
  });

  it('lineinfile: replaces by regexp, adds, removes; second run no change', async () => {
    await sh("printf 'A=1\\nETCD_QUOTA=2\\nB=3\\n' > /etc/lb.conf && chmod 0604 /etc/lb.conf");
    const set = { path: '/etc/lb.conf', regexp: '^ETCD_QUOTA=', line: 'ETCD_QUOTA=8589934592' };
    const r = await run('lineinfile', set);
    expect(r.result).toMatchObject({ changed: true, msg: 'line replaced' });
    expect(await sh("cat /etc/lb.conf; stat -c '%a' /etc/lb.conf")).toBe('A=1\nETCD_QUOTA=8589934592\nB=3\n604\n');
    expect((await run('lineinfile', set)).op.steps).toEqual([]);
    const add = await run('lineinfile', { path: '/etc/lb.conf', line: 'C=4', insertafter: '^A=' });
    expect(add.result.msg).toBe('line added');
    const del = await run('lineinfile', { path: '/etc/lb.conf', regexp: '^B=', state: 'absent' });
    expect(del.result).toMatchObject({ changed: true, found: 1 });
    expect(await sh('cat /etc/lb.conf')).toBe('A=1\nC=4\nETCD_QUOTA=8589934592\n');
    const created = await run('lineinfile', { path: '/etc/lbnew/a.conf', line: 'x=1', create: true, mode: '0640' });
    expect(created.result.changed).toBe(true);
    expect(await sh("cat /etc/lbnew/a.conf; stat -c '%a' /etc/lbnew/a.conf")).toBe('x=1\n640\n');
    const missing = await run('lineinfile', { path: '/etc/none.conf', line: 'x' });
    expect(missing.result).toMatchObject({ failed: true, rc: 257 });
  });

  it('stat: checksums and ownership as on the host', async () => {
    const sums = (await sh('sha1sum /etc/hostname | cut -c1-40; sha256sum /etc/hostname | cut -c1-64')).split('\n');
    const r = await run('stat', { path: '/etc/hostname' });
    expect(r.result.stat).toMatchObject({
      exists: true,
      isreg: true,
      pw_name: 'root',
      checksum: sums[0],
      sha256: sums[1],
    });
    expect((await run('stat', { path: '/var/lib/etcd' })).result.stat).toMatchObject({ exists: true, isdir: true });
    expect((await run('stat', { path: '/nope' })).result.stat).toMatchObject({ exists: false });
  });

  it('service: status probed first — stop, stop again (no change), start, start again (no change)', async () => {
    const svc = (state: string) => run('service', { name: 'kube-apiserver', state });
    const stop = await svc('stopped');
    expect(stop.result).toMatchObject({ changed: true, manager: 'sysv', state: 'stopped' });
    expect(stop.result.failed).toBeUndefined();
    expect((await lab().sh('node1', 'service kube-apiserver status')).rc).toBe(3);
    const again = await svc('stopped');
    expect(again.op.steps).toEqual([]);
    expect(again.result.changed).toBe(false);
    const start = await run('systemd', { name: 'kube-apiserver', state: 'started' });
    expect(start.result.changed).toBe(true);
    expect((await lab().sh('node1', 'service kube-apiserver status')).rc).toBe(0);
    expect((await svc('started')).op.steps).toEqual([]);
    const enable = await run('service', { name: 'kube-scheduler', enabled: true });
    expect(enable.result).toMatchObject({ changed: true, enabled: true });
    expect(enable.result.failed).toBeUndefined();
    expect(await sh('ls /etc/rc2.d/ | grep -c kube-scheduler')).toBe('1\n');
    expect((await run('service', { name: 'kube-scheduler', enabled: true })).op.steps).toEqual([]);
    expect((await run('service', { name: 'kube-scheduler', enabled: false })).result.changed).toBe(true);
    expect(await sh('ls /etc/rc2.d/S* 2>/dev/null | grep -c kube-scheduler || true')).toBe('0\n');
    const missing = await run('service', { name: 'no-such-service', state: 'started' });
    expect(missing.result).toMatchObject({ failed: true });
    expect(missing.result.msg).toContain('Could not find the requested service no-such-service');
  });

  it('wait_for: an open port, a closed port, a file that appears, and a timeout', async () => {
    const addr = lab().hosts[0]?.address;
    const open = await run('wait_for', { host: addr, port: 2379, timeout: 10 });
    expect(open.op.changed).toBe(false);
    expect(open.result).toMatchObject({ changed: false, port: 2379 });
    expect(open.result.failed).toBeUndefined();
    expect((await run('wait_for', { port: 65000, state: 'stopped', timeout: 5 })).result.failed).toBeUndefined();
    await sh('rm -f /tmp/appears; (sleep 1; echo ready > /tmp/appears) >/dev/null 2>&1 &');
    const file = await run('wait_for', { path: '/tmp/appears', search_regex: 'ready', timeout: 20 });
    expect(file.result.failed).toBeUndefined();
    const late = await run('wait_for', { port: 65000, timeout: 1, msg: 'nothing on 65000' });
    expect(late.result).toMatchObject({ failed: true, msg: 'nothing on 65000' });
  });

  it('fetch: lands under dest/host/path, second run is no change', async () => {
    const r = await run('fetch', { src: '/etc/hostname', dest: 'fetched' });
    expect(r.result.changed).toBe(true);
    expect(await readFile(join(pb, 'fetched', 'node1', 'etc', 'hostname'), 'utf8')).toBe('node1\n');
    const again = await run('fetch', { src: '/etc/hostname', dest: 'fetched' });
    expect(again.op.steps).toEqual([]);
    const flat = await run('fetch', { src: '/etc/hostname', dest: `${pb}/flat/`, flat: true });
    expect(flat.result.changed).toBe(true);
    expect(await readFile(join(pb, 'flat', 'hostname'), 'utf8')).toBe('node1\n');
    expect((await run('fetch', { src: '/nope', dest: 'x' })).result.failed).toBe(true);
  });

  it('setup: facts in one command', async () => {
    const before = (conn as unknown as { host: string }).host;
    const r = await run('setup', {});
    const f = r.result.ansible_facts as Record<string, unknown>;
    expect(before).toBe('node1');
    expect(f.ansible_hostname).toBe('node1');
    expect(f.ansible_distribution).toBe('Debian');
    expect(f.ansible_os_family).toBe('Debian');
    expect(String(f.ansible_distribution_version)).toMatch(/^\d+/);
    expect(f.ansible_service_mgr).toBe('sysvinit');
    expect(f.ansible_processor_vcpus).toBeGreaterThan(0);
    expect(f.ansible_memtotal_mb).toBeGreaterThan(0);
    expect(f.ansible_all_ipv4_addresses).toContain(lab().hosts[0]?.address);
    const epoch = Number((await sh('date +%s')).trim());
    const dt = f.ansible_date_time as Record<string, string>;
    expect(Math.abs(Number(dt.epoch) - epoch)).toBeLessThan(120);
    expect(dt.iso8601).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const filtered = await run('setup', { filter: 'ansible_host*' });
    expect(Object.keys(filtered.result.ansible_facts as object)).toEqual(['ansible_hostname']);
  });
});
