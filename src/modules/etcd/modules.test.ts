import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeConnection, fakeCtx } from '../../../test/modules/fake.js';
import { LifeboatError } from '../../errors.js';
import { etcdFactsModule } from './facts.js';
import { etcdRestoreModule } from './restore.js';
import { etcdSnapshotCopyModule } from './snapshot-copy.js';

/** Probe output as facts-probe.ts emits it: `@@LB kind arg` + base64 content. */
const rec = (kind: string, arg: string, content: string) => `@@LB ${kind} ${arg}\n${Buffer.from(content).toString('base64')}\n`;
const tools = rec('tool', 'etcd', '/usr/bin/etcd\netcd Version: 3.4.23') + rec('tool', 'etcdctl', '/usr/bin/etcdctl\netcdctl version: 3.4.23');
const argv = ['/usr/bin/etcd', '--name=etcd-a', '--data-dir=/var/lib/etcd', '--initial-advertise-peer-urls=https://10.0.0.1:2380', '--advertise-client-urls=https://10.0.0.1:2379', '--trusted-ca-file=/pki/ca.crt'].join('\n');

describe('etcd_facts on a fake connection', () => {
  it('prefers the process named by the pid file; ignores etcd processes of other hosts (other netns are never emitted)', async () => {
    const conn = new FakeConnection('a')
      .on('emit proc', { stdout: rec('proc', 'pidfile:42:same', argv) + rec('environ', '42', 'ETCD_INITIAL_CLUSTER_TOKEN=tok') + rec('exeversion', '42', 'etcd Version: 3.4.23') + tools })
      .on('datadir', { stdout: rec('datadir', 'exists', 'etcd') + rec('datadir', 'mountpoint', 'yes') });
    const op = await etcdFactsModule.plan(fakeCtx({}, conn));
    const f = (op.result?.ansible_facts as Record<string, any> | undefined)?.etcd_facts;
    expect(op.steps).toEqual([]);
    expect(f).toMatchObject({ source: 'process', running: true, pid: 42, version: '3.4.23', data_dir_exists: true, data_dir_mountpoint: true, data_dir_owner: 'etcd' });
    expect(f.config).toMatchObject({ name: 'etcd-a', initial_cluster_token: 'tok', client_tls: { ca_file: '/pki/ca.crt' } });
    expect(conn.execs[0]).toContain('readlink /proc/$p/ns/net');
  });

  it('without a process, reads the systemd unit and its EnvironmentFile (second probe)', async () => {
    const unit = '[Service]\nEnvironmentFile=/etc/etcd/etcd.env\nExecStart=/usr/local/bin/etcd --data-dir=/data/etcd\n';
    const conn = new FakeConnection('a')
      .on('emit proc', { stdout: rec('init', 'systemd', '') + rec('file', '/etc/systemd/system/etcd.service', unit) + tools })
      .on('for f in /etc/etcd/etcd.env;', { stdout: rec('file', '/etc/etcd/etcd.env', 'ETCD_NAME=from-env\nETCD_INITIAL_ADVERTISE_PEER_URLS=https://10.0.0.9:2380\n') });
    const op = await etcdFactsModule.plan(fakeCtx({}, conn));
    const f = (op.result?.ansible_facts as Record<string, any> | undefined)?.etcd_facts;
    expect(f).toMatchObject({ source: 'systemd-unit', running: false, source_files: ['/etc/systemd/system/etcd.service', '/etc/etcd/etcd.env'] });
    expect(f.config).toMatchObject({ name: 'from-env', data_dir: '/data/etcd', initial_advertise_peer_urls: ['https://10.0.0.9:2380'] });
  });
});

describe('etcd_facts where systemd does not run the services', () => {
  it('ignores the packaged unit and reads /etc/default/etcd (what the init script uses)', async () => {
    const unit = '[Service]\nEnvironment=ETCD_NAME=%H\nEnvironmentFile=-/etc/default/%p\nExecStart=/usr/bin/etcd $DAEMON_ARGS\n';
    const conn = new FakeConnection('a').on('emit proc', {
      stdout: rec('file', '/lib/systemd/system/etcd.service', unit) + rec('file', '/etc/default/etcd', 'DAEMON_ARGS="--name=etcd-a --data-dir=/var/lib/etcd"\n') + tools,
    });
    const op = await etcdFactsModule.plan(fakeCtx({}, conn));
    const f = (op.result?.ansible_facts as Record<string, any> | undefined)?.etcd_facts;
    expect(f).toMatchObject({ source: 'env-file', source_files: ['/etc/default/etcd'] });
    expect(f.config.name).toBe('etcd-a');
  });
});

describe('etcd_restore on a fake connection', () => {
  const vars = { groups: { etcd: ['a'] }, hostvars: { a: { ansible_host: '10.0.0.1' } } };
  async function snap(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'lb-restore-unit-'));
    const file = path.join(dir, 's.db');
    await writeFile(file, 'x');
    await writeFile(path.join(dir, 's.json'), JSON.stringify({ sha256: 'c'.repeat(64), revision: 7, total_keys: 3 }));
    return file;
  }

  it('refuses while etcd runs on the host (E_PREFLIGHT), but only says so in plan mode', async () => {
    const conn = new FakeConnection('a').on('emit proc', { stdout: rec('proc', 'pidfile:42:same', argv) + tools });
    const snapshot = await snap();
    await expect(etcdRestoreModule.plan(fakeCtx({ snapshot }, conn, { vars }))).rejects.toThrow(/etcd is running on this host \(pid 42\)/);
    const op = await etcdRestoreModule.plan(fakeCtx({ snapshot }, conn, { vars, check: true }));
    expect(op.notes?.join('\n')).toContain('it must be stopped before this step runs');
  });

  it('plans the restore with the manifest sha256 and the probed mount point', async () => {
    const conn = new FakeConnection('a').on('emit proc', { stdout: tools }).on('mountpoint -q "$d"', { stdout: 'DIR yes yes etcd 999999 /var/lib/etcd\n' });
    const op = await etcdRestoreModule.plan(fakeCtx({ snapshot: await snap(), ts: 'T1' }, conn, { vars }));
    const cmds = op.steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind));
    expect(cmds[0]).toContain('c'.repeat(64));
    expect(cmds.join('\n')).toContain('find /var/lib/etcd -mindepth 1 -maxdepth 1');
    expect(cmds.join('\n')).toContain('--name=etcd-a --initial-cluster=etcd-a=https://10.0.0.1:2380 --initial-cluster-token=etcd-cluster-0');
    expect(op.result).toMatchObject({ snapshot_revision: 7, kept: [{ dir: '/var/lib/etcd', kept_at: '/var/lib/etcd/.lifeboat-T1', mode: 'contents' }] });
  });
});

describe('etcd_snapshot_copy', () => {
  it('refuses a controller snapshot whose trailer does not match, before touching the node', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lb-copy-unit-'));
    const file = path.join(dir, 'bad.db');
    await writeFile(file, Buffer.alloc(4096, 7));
    const conn = new FakeConnection('a');
    const err = await etcdSnapshotCopyModule.plan(fakeCtx({ snapshot: file }, conn)).catch((e) => e);
    expect(err).toBeInstanceOf(LifeboatError);
    expect((err as LifeboatError).code).toBe('E_PREFLIGHT');
    expect((err as LifeboatError).message).toContain('trailer mismatch');
    expect(conn.calls).toEqual([]);
  });
});
