import { describe, expect, it } from 'vitest';
import { clusterPlan } from './cluster.js';
import { sourcesReport } from './value-sources.js';
import { buildShape } from './shape.js';
import type { EtcdFacts } from './types.js';

const facts = (name: string, addr: string, over: Partial<EtcdFacts> = {}): EtcdFacts => ({
  config: {
    name,
    data_dir: '/var/lib/etcd',
    listen_client_urls: [],
    advertise_client_urls: [`https://${addr}:2379`],
    listen_peer_urls: [],
    initial_advertise_peer_urls: [`https://${addr}:2380`],
    initial_cluster_token: 'tok-1',
    client_tls: { ca_file: '/pki/ca.crt', cert_file: '/pki/c.crt', key_file: '/pki/c.key' },
    peer_tls: {},
  },
  source: 'static-pod',
  source_files: ['/etc/kubernetes/manifests/etcd.yaml'],
  running: true,
  version: '3.5.30',
  data_dir_exists: true,
  data_dir_mountpoint: false,
  data_dir_owner: 'root',
  warnings: [],
  ...over,
});

const healthy = {
  groups: { etcd: ['a', 'b', 'c'] },
  hostvars: {
    a: { ansible_host: '10.0.0.1', etcd_facts: facts('cp-a', '10.0.0.1') },
    b: { ansible_host: '10.0.0.2', etcd_facts: facts('cp-b', '10.0.0.2') },
    c: { ansible_host: '10.0.0.3', etcd_facts: facts('cp-c', '10.0.0.3') },
  },
};

describe('the cluster shape a backup records, and a restore falls back on', () => {
  const view = {
    host: 'a', endpoint: 'https://10.0.0.1:2379', reachable: true, healthy: true, cluster_id: 'c1d2', alarms: [],
    members: [{ id: 'aa01', name: 'cp-a', peer_urls: [], client_urls: [] }, { id: 'bb02', name: 'cp-b', peer_urls: [], client_urls: [] }],
  };
  const shape = buildShape(clusterPlan(healthy, 'a'), healthy, 'a', { view, kubernetesVersion: 'v1.30.0' });

  it('records every member as planned, how it runs, its owner, version and ID; the token and cluster ID', () => {
    expect(shape).toMatchObject({ token: 'tok-1', cluster_id: 'c1d2', kubernetes_version: 'v1.30.0', initial_cluster: 'cp-a=https://10.0.0.1:2380,cp-b=https://10.0.0.2:2380,cp-c=https://10.0.0.3:2380' });
    expect(shape.members[0]).toEqual({
      host: 'a', address: '10.0.0.1', name: 'cp-a', peer_url: 'https://10.0.0.1:2380', client_url: 'https://10.0.0.1:2379', data_dir: '/var/lib/etcd',
      tls: { ca_file: '/pki/ca.crt', cert_file: '/pki/c.crt', key_file: '/pki/c.key' },
      runtime: 'static-pod', config_source: 'static-pod', config_files: ['/etc/kubernetes/manifests/etcd.yaml'], user: 'root', etcd_version: '3.5.30', member_id: 'aa01',
    });
    expect(shape.members[2]?.member_id).toBeUndefined(); // not in the member list seen
  });

  it('fills from the record what a host no longer says, and names where every value came from', () => {
    const lost = { ...healthy, hostvars: { ...healthy.hostvars, c: { ansible_host: '10.0.0.3', etcd_data_dir: '/data/etcd' } } };
    const ref = { file: '/b/s.db', shape };
    const p = clusterPlan(lost, 'a', { shape: ref });
    expect(p.members[2]).toMatchObject({ name: 'cp-c', peer_url: 'https://10.0.0.3:2380', data_dir: '/data/etcd', tls: { ca_file: '/pki/ca.crt' } });
    expect(p.sources.c).toMatchObject({ name: { from: 'snapshot', file: '/b/s.db' }, data_dir: { from: 'inventory', variable: 'etcd_data_dir' } });
    expect(p.sources.a?.name).toEqual({ from: 'discovered', source: 'static-pod', files: ['/etc/kubernetes/manifests/etcd.yaml'] });
    expect(sourcesReport(p)[2]).toBe(
      'c: name cp-c (snapshot manifest /b/s.db), peer https://10.0.0.3:2380 (snapshot manifest /b/s.db), client https://10.0.0.3:2379 (snapshot manifest /b/s.db), data /data/etcd (inventory etcd_data_dir), tls on (snapshot manifest /b/s.db)',
    );
    // the same via the variable etcd_preflight sets
    expect(clusterPlan({ ...lost, etcd_snapshot_shape: ref }, 'b').members[2]?.name).toBe('cp-c');
  });

  it('a surviving member\'s member list comes before the record (matched by the peer URL\'s address)', () => {
    const lost = { ...healthy, hostvars: { ...healthy.hostvars, c: { ansible_host: '10.0.0.3' } } };
    const live = { seen_from: 'a', members: [{ name: 'cp-c-now', peer_urls: ['https://10.0.0.3:2380'], client_urls: ['https://10.0.0.3:2379'] }, { name: '', peer_urls: ['https://10.0.0.9:2380'], client_urls: [] }] };
    const p = clusterPlan(lost, 'a', { shape: { file: '/b/s.db', shape }, live });
    expect(p.members[2]?.name).toBe('cp-c-now');
    expect(p.sources.c?.name).toEqual({ from: 'member-list', host: 'a' });
    expect(sourcesReport(p)[2]).toContain('name cp-c-now (member list seen from a)');
    expect(p.sources.c?.data_dir).toEqual({ from: 'snapshot', file: '/b/s.db' }); // not in a member list
    expect(p.sources.a?.name?.from).toBe('discovered'); // a host that describes itself is not overridden
  });

  it('applies the record only to a host with the address it had (a migration target is not the source)', () => {
    const moved = { groups: { etcd: ['c'] }, hostvars: { c: { ansible_host: '10.9.9.3' } } };
    const p = clusterPlan(moved, 'c', { shape: { file: '/b/s.db', shape } });
    expect(p.members[0]).toMatchObject({ name: 'etcd-c', peer_url: 'https://10.9.9.3:2380' });
    expect(p.sources.c?.name).toEqual({ from: 'default' });
    expect(p.token_source).toEqual({ from: 'default' });
  });

  it('takes the token from the record only when every member is the recorded one', () => {
    const down = { groups: { etcd: ['a', 'b', 'c'] }, hostvars: { a: { ansible_host: '10.0.0.1' }, b: { ansible_host: '10.0.0.2' }, c: { ansible_host: '10.0.0.3' } } };
    const p = clusterPlan(down, 'a', { shape: { file: '/b/s.db', shape } });
    expect([p.token, p.token_source]).toEqual(['tok-1', { from: 'snapshot', file: '/b/s.db' }]);
    expect(p.members.map((m) => m.name)).toEqual(['cp-a', 'cp-b', 'cp-c']);
  });
});
