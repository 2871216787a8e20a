import { describe, expect, it } from 'vitest';
import { offlineTool, snapshotRestoreCmd, snapshotStatusCmd } from './version.js';

const flags = {
  snapshot: '/var/lib/lifeboat/snapshots/s.db',
  name: 'etcd-a',
  initialCluster: 'etcd-a=https://10.0.0.1:2380,etcd-b=https://10.0.0.2:2380',
  token: 'tok',
  peerUrl: 'https://10.0.0.1:2380',
  dataDir: '/var/lib/etcd.lifeboat-restore-X',
};
const tail =
  "--name=etcd-a --initial-cluster=etcd-a=https://10.0.0.1:2380,etcd-b=https://10.0.0.2:2380 --initial-cluster-token=tok " +
  '--initial-advertise-peer-urls=https://10.0.0.1:2380 --data-dir=/var/lib/etcd.lifeboat-restore-X';

describe('offline tool by version', () => {
  it('3.4.23 (Debian): etcdctl with ETCDCTL_API=3, no --bump-revision', () => {
    const t = offlineTool({ etcdctl: { path: '/usr/bin/etcdctl', version: '3.4.23' } });
    expect(t).toMatchObject({ kind: 'etcdctl', bump: false });
    expect(snapshotRestoreCmd(t!, flags)).toBe(`env ETCDCTL_API=3 /usr/bin/etcdctl snapshot restore /var/lib/lifeboat/snapshots/s.db ${tail}`);
    expect(snapshotStatusCmd(t!, '/x.db')).toBe('env ETCDCTL_API=3 /usr/bin/etcdctl snapshot status /x.db -w json');
  });
  it('3.4.27+: etcdctl gains --bump-revision --mark-compacted', () => {
    const t = offlineTool({ etcdctl: { path: 'etcdctl', version: '3.4.27' } });
    expect(snapshotRestoreCmd(t!, flags)).toBe(`env ETCDCTL_API=3 etcdctl snapshot restore /var/lib/lifeboat/snapshots/s.db ${tail} --bump-revision=1000000000 --mark-compacted`);
  });
  it('3.5.9: etcdutl, no bump yet; 3.5.10: etcdutl with bump', () => {
    const a = offlineTool({ etcdutl: { path: '/usr/local/bin/etcdutl', version: '3.5.9' }, etcdctl: { path: 'etcdctl', version: '3.5.9' } });
    expect(snapshotRestoreCmd(a!, flags)).toBe(`/usr/local/bin/etcdutl snapshot restore /var/lib/lifeboat/snapshots/s.db ${tail}`);
    const b = offlineTool({ etcdutl: { path: 'etcdutl', version: '3.5.10' } });
    expect(snapshotRestoreCmd(b!, flags)).toBe(`etcdutl snapshot restore /var/lib/lifeboat/snapshots/s.db ${tail} --bump-revision=1000000000 --mark-compacted`);
    expect(snapshotStatusCmd(b!, '/x.db')).toBe('etcdutl snapshot status /x.db -w json');
  });
  it('3.6: etcdutl only; etcdctl 3.6 alone cannot restore', () => {
    expect(offlineTool({ etcdctl: { path: 'etcdctl', version: '3.6.1' } })).toBeUndefined();
    const t = offlineTool({ etcdctl: { path: 'etcdctl', version: '3.6.1' }, etcdutl: { path: 'etcdutl', version: '3.6.1' } });
    expect(t).toMatchObject({ kind: 'etcdutl', bump: true });
  });
  it('a separate wal dir is passed; values with spaces are quoted', () => {
    const t = offlineTool({ etcdctl: { path: 'etcdctl', version: '3.4.23' } })!;
    const cmd = snapshotRestoreCmd(t, { ...flags, walDir: '/wal dir/x', name: "it's" });
    expect(cmd).toContain("'--wal-dir=/wal dir/x'");
    expect(cmd).toContain(`'--name=it'\\''s'`);
  });
});
