import { describe, expect, it } from 'vitest';
import {
  configFromFlags,
  flagsFromConfigYaml,
  flagsFromEnvFile,
  flagsFromStaticPod,
  parseArgv,
  parseInitialCluster,
  parseSystemdUnit,
  unitFlags,
} from './config-parse.js';

describe('etcd configuration parsers', () => {
  it('reads a process command line (--k=v, --k v, booleans)', () => {
    const f = parseArgv(['--name=a', '--data-dir', '/d', '--client-cert-auth', '--cert-file=/c.crt']);
    expect(f).toEqual({ name: 'a', 'data-dir': '/d', 'client-cert-auth': 'true', 'cert-file': '/c.crt' });
  });
  it('reads /etc/default/etcd with a multi-line DAEMON_ARGS and ETCD_* variables', () => {
    const text = `# comment\nETCD_INITIAL_CLUSTER_TOKEN="tok-1"\nDAEMON_ARGS="--name=etcd-h1 \\\n  --data-dir=/var/lib/etcd \\\n  --initial-advertise-peer-urls=https://10.1.0.11:2380"\n`;
    const c = configFromFlags(flagsFromEnvFile(text));
    expect(c.name).toBe('etcd-h1');
    expect(c.data_dir).toBe('/var/lib/etcd');
    expect(c.initial_advertise_peer_urls).toEqual(['https://10.1.0.11:2380']);
    expect(c.initial_cluster_token).toBe('tok-1');
  });
  it('reads a systemd unit: ExecStart flags over Environment=, EnvironmentFile listed', () => {
    const u = parseSystemdUnit(`[Service]\nEnvironmentFile=-/etc/etcd/etcd.env\nEnvironment="ETCD_NAME=envname"\nExecStart=/usr/local/bin/etcd \\\n  --name=flagname \\\n  --wal-dir=/wal\n`);
    expect(u.envFiles).toEqual(['/etc/etcd/etcd.env']);
    expect(u.env).toEqual({ ETCD_NAME: 'envname' });
    expect(unitFlags(u, [])).toEqual({ name: 'flagname', 'wal-dir': '/wal' });
  });
  it("reads Debian's etcd.service: %p in EnvironmentFile, $DAEMON_ARGS expanded, the file's values win", () => {
    const unit = '[Service]\nEnvironment=DAEMON_ARGS=\nEnvironment=ETCD_NAME=%H\nEnvironment=ETCD_DATA_DIR=/var/lib/etcd/default\nEnvironmentFile=-/etc/default/%p\nType=notify\nExecStart=/usr/bin/etcd $DAEMON_ARGS\n';
    const u = parseSystemdUnit(unit, 'etcd');
    expect(u.envFiles).toEqual(['/etc/default/etcd']);
    const c = configFromFlags(unitFlags(u, ['DAEMON_ARGS="--name=etcd-h1 \\\n  --data-dir=/var/lib/etcd"\n']));
    expect(c).toMatchObject({ name: 'etcd-h1', data_dir: '/var/lib/etcd' });
    const plain = configFromFlags(unitFlags(u, ['ETCD_NAME=n2\n']));
    expect(plain).toMatchObject({ name: 'n2', data_dir: '/var/lib/etcd/default' });
  });
  it('reads a kubeadm static-pod manifest', () => {
    const text = `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: etcd\n    command:\n    - etcd\n    - --name=cp1\n    - --data-dir=/var/lib/etcd\n    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n    - --advertise-client-urls=https://10.0.0.5:2379\n`;
    const c = configFromFlags(flagsFromStaticPod(text));
    expect(c).toMatchObject({ name: 'cp1', data_dir: '/var/lib/etcd', advertise_client_urls: ['https://10.0.0.5:2379'] });
    expect(c.client_tls).toEqual({ ca_file: '/etc/kubernetes/pki/etcd/ca.crt' });
  });
  it('reads a --config-file YAML with transport security sections', () => {
    const text = `name: y1\ndata-dir: /data\ninitial-cluster-token: t\nclient-transport-security:\n  cert-file: /c\n  key-file: /k\n  trusted-ca-file: /ca\npeer-transport-security:\n  cert-file: /pc\n`;
    const c = configFromFlags(flagsFromConfigYaml(text));
    expect(c.client_tls).toEqual({ ca_file: '/ca', cert_file: '/c', key_file: '/k' });
    expect(c.peer_tls).toEqual({ cert_file: '/pc' });
    expect(c.initial_cluster_token).toBe('t');
  });
  it("fills etcd's own defaults where a flag is absent", () => {
    const c = configFromFlags({});
    expect(c).toMatchObject({ name: 'default', data_dir: 'default.etcd', initial_cluster_token: 'etcd-cluster' });
  });
  it('splits an initial-cluster string', () => {
    expect(parseInitialCluster('a=https://1:2380,b=https://2:2380')).toEqual([
      { name: 'a', url: 'https://1:2380' },
      { name: 'b', url: 'https://2:2380' },
    ]);
  });
});
