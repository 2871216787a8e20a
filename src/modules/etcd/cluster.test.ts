import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../errors.js';
import { clusterPlan } from './cluster.js';
import { renderRestore } from './restore-steps.js';
import type { EtcdFacts } from './types.js';
import { offlineTool } from './version.js';

function facts(name: string, peer: string, token = 'tok-lab'): EtcdFacts {
  return {
    config: {
      name,
      data_dir: '/var/lib/etcd',
      listen_client_urls: [],
      advertise_client_urls: [peer.replace(':2380', ':2379')],
      listen_peer_urls: [peer],
      initial_advertise_peer_urls: [peer],
      initial_cluster_token: token,
      client_tls: { ca_file: '/pki/ca.crt', cert_file: '/pki/server.crt', key_file: '/pki/server.key' },
      peer_tls: {},
    },
    source: 'process',
    source_files: [],
    running: true,
    data_dir_exists: true,
    data_dir_mountpoint: false,
    warnings: [],
  };
}

const vars = {
  groups: { etcd: ['h1', 'h2', 'h3'] },
  hostvars: {
    h1: { ansible_host: '10.0.0.1', etcd_facts: facts('etcd-one', 'https://10.0.0.1:2380') },
    h2: { ansible_host: '10.0.0.2', etcd_name: 'explicit-two', etcd_peer_url: 'https://10.0.0.2:2380', etcd_facts: facts('etcd-two', 'https://10.0.0.2:2380') },
    h3: { ansible_host: '10.0.0.3', etcd_name: '' },
  },
};

describe('cluster plan: one source of truth for every node', () => {
  it('derives names and URLs: inventory, then discovered, then defaults', () => {
    const p = clusterPlan(vars, 'h1');
    expect(p.members.map((m) => [m.host, m.name, m.peer_url, m.client_url])).toEqual([
      ['h1', 'etcd-one', 'https://10.0.0.1:2380', 'https://10.0.0.1:2379'],
      ['h2', 'explicit-two', 'https://10.0.0.2:2380', 'https://10.0.0.2:2379'],
      ['h3', 'etcd-h3', 'https://10.0.0.3:2380', 'https://10.0.0.3:2379'],
    ]);
    expect(p.initial_cluster).toBe('etcd-one=https://10.0.0.1:2380,explicit-two=https://10.0.0.2:2380,etcd-h3=https://10.0.0.3:2380');
    expect(p.token).toBe('tok-lab');
    expect(p.members[0]?.tls).toEqual({ ca_file: '/pki/ca.crt', cert_file: '/pki/server.crt', key_file: '/pki/server.key' });
  });

  it('every node renders the identical --initial-cluster and token, and only its own --name / peer URL', () => {
    const tool = offlineTool({ etcdctl: { path: 'etcdctl', version: '3.4.23' } })!;
    const cmds = ['h1', 'h2', 'h3'].map((h) => {
      const p = clusterPlan(vars, h);
      const m = p.members.find((x) => x.host === h)!;
      const r = renderRestore({ plan: p, member: m, tool, snapshot: '/s.db', sha256: 'a'.repeat(64), ts: 'T', data: { path: '/var/lib/etcd', exists: true, mountpoint: false }, markerFile: '/m.json' });
      return r.steps.map((s) => (s.kind === 'exec' ? s.cmd : '')).find((c) => c.includes('snapshot restore')) ?? '';
    });
    const ic = (c: string) => /--initial-cluster=(\S+)/.exec(c)?.[1];
    const tok = (c: string) => /--initial-cluster-token=(\S+)/.exec(c)?.[1];
    expect(new Set(cmds.map(ic)).size).toBe(1);
    expect(new Set(cmds.map(tok))).toEqual(new Set(['tok-lab']));
    expect(cmds.map((c) => /--name=(\S+)/.exec(c)?.[1])).toEqual(['etcd-one', 'explicit-two', 'etcd-h3']);
    expect(cmds.map((c) => /--initial-advertise-peer-urls=(\S+)/.exec(c)?.[1])).toEqual([
      'https://10.0.0.1:2380',
      'https://10.0.0.2:2380',
      'https://10.0.0.3:2380',
    ]);
  });

  it('refuses duplicate names and peer URLs, naming the hosts', () => {
    const bad = { ...vars, hostvars: { ...vars.hostvars, h3: { ansible_host: '10.0.0.3', etcd_name: 'etcd-one', etcd_peer_url: 'https://10.0.0.1:2380' } } };
    try {
      clusterPlan(bad, 'h1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LifeboatError);
      expect((e as LifeboatError).code).toBe('E_PREFLIGHT');
      expect((e as LifeboatError).message).toContain('h3 and h1 have the same name "etcd-one"');
      expect((e as LifeboatError).message).toContain('h3 and h1 have the same peer URL');
    }
  });

  it('refuses a missing group with a hint', () => {
    expect(() => clusterPlan({ groups: {} }, 'x')).toThrow(/inventory group "etcd" is missing/);
  });

  it('an inventory token wins over the discovered one; explicit members override discovery', () => {
    const p = clusterPlan({ ...vars, etcd_cluster_token: 'new-tok' }, 'h1', { members: [{ host: 'h1', name: 'solo', peer_url: 'https://10.9.9.9:2380' }] });
    expect(p.token).toBe('new-tok');
    expect(p.initial_cluster).toBe('solo=https://10.9.9.9:2380');
  });
});
