import { describe, expect, it } from 'vitest';
import type { Vars } from '../inventory/types.js';
import { OMIT, buildMagicVars, layeredVars, renderValue } from './index.js';

const groups = {
  all: ['node1.lab', 'node2.lab', 'node3.lab'],
  etcd: ['node1.lab', 'node2.lab', 'node3.lab'],
  ungrouped: [],
};
const inventory: Record<string, Vars> = {
  'node1.lab': { ansible_host: '10.0.0.1' },
  'node2.lab': { ansible_host: '10.0.0.2' },
  'node3.lab': { ansible_host: '10.0.0.3' },
};
const groupVars: Vars = {
  etcd_name: 'etcd-{{ inventory_hostname_short }}',
  etcd_peer_url: 'https://{{ ansible_host }}:2380',
  etcd_initial_cluster:
    "{% for h in groups['etcd'] %}{{ hostvars[h].etcd_name }}={{ hostvars[h]['etcd_peer_url'] }}{% if not loop.last %},{% endif %}{% endfor %}",
};

let accessed: string[] = [];
function varsOf(host: string): Vars | undefined {
  const inv = inventory[host];
  if (!inv) return undefined;
  accessed.push(host);
  return layeredVars({
    inventory: { ...groupVars, ...inv },
    magic: buildMagicVars({
      groups,
      hostvars: varsOf,
      host,
      groupNames: ['etcd'],
      playHosts: groups.etcd,
      playBatch: ['node1.lab'],
      checkMode: true,
      playbookDir: '/pb',
      rolePath: '/pb/roles/etcd',
    }),
  });
}

describe('buildMagicVars', () => {
  it('gives Ansible’s magic variables', () => {
    const m = buildMagicVars({
      groups,
      hostvars: varsOf,
      host: 'node2.lab',
      groupNames: ['etcd'],
      playHosts: ['node1.lab', 'node2.lab'],
      playHostsAll: groups.etcd,
      playBatch: ['node2.lab'],
      checkMode: false,
      playbookDir: '/pb',
    });
    expect(m.inventory_hostname).toBe('node2.lab');
    expect(m.inventory_hostname_short).toBe('node2');
    expect(m.groups).toBe(groups);
    expect(m.group_names).toEqual(['etcd']);
    expect(m.ansible_play_hosts).toEqual(['node1.lab', 'node2.lab']);
    expect(m.ansible_play_hosts_all).toEqual(groups.etcd);
    expect(m.ansible_play_batch).toEqual(['node2.lab']);
    expect(m.ansible_check_mode).toBe(false);
    expect(m.playbook_dir).toBe('/pb');
    expect(m.omit).toBe(OMIT);
    expect('role_path' in m).toBe(false);
  });

  it('hostvars[h] renders that host’s variables in its own context, lazily', () => {
    accessed = [];
    const vars = varsOf('node1.lab') as Vars;
    expect(accessed).toEqual(['node1.lab']);
    expect(renderValue("{{ hostvars['node2.lab']['ansible_host'] }}", vars)).toBe('10.0.0.2');
    expect(accessed).toEqual(['node1.lab', 'node2.lab']);
    expect(renderValue("{{ hostvars['node3.lab'].etcd_name }}", vars)).toBe('etcd-node3');
    expect(renderValue('{{ etcd_initial_cluster }}', vars)).toBe(
      'etcd-node1=https://10.0.0.1:2380,etcd-node2=https://10.0.0.2:2380,etcd-node3=https://10.0.0.3:2380',
    );
    expect(renderValue('{{ etcd_name }}', vars)).toBe('etcd-node1');
    expect(renderValue('{{ hostvars[inventory_hostname].etcd_name }}', vars)).toBe('etcd-node1');
    expect(renderValue('{{ role_path }}/files', vars)).toBe('/pb/roles/etcd/files');
  });

  it('registered results of another host are data, not templates', () => {
    const of = (h: string): Vars | undefined =>
      h === 'a'
        ? layeredVars({
            registered: { out: { stdout: '{{ not_rendered }}' } },
            magic: buildMagicVars({
              groups: { all: ['a'] },
              hostvars: of,
              host: 'a',
              groupNames: [],
              playHosts: [],
              playBatch: [],
              checkMode: false,
              playbookDir: '/',
            }),
          })
        : undefined;
    expect(renderValue("{{ hostvars['a'].out.stdout }}", of('a') as Vars)).toBe('{{ not_rendered }}');
  });

  it('hostvars works from plain code too', () => {
    const vars = varsOf('node1.lab') as Vars;
    const hv = vars.hostvars as Record<string, Record<string, unknown>>;
    expect(hv['node2.lab']?.etcd_peer_url).toBe('https://10.0.0.2:2380');
    expect(Object.keys(hv)).toEqual(groups.all);
    expect('node9' in hv).toBe(false);
  });

  it('an unknown host or variable under hostvars is an undefined error with a suggestion', () => {
    const vars = varsOf('node1.lab') as Vars;
    expect(() => renderValue("{{ hostvars['node2.lba'].x }}", vars)).toThrow(
      "'hostvars['node2.lba']' is undefined: 'hostvars' has no attribute 'node2.lba'",
    );
    try {
      renderValue("{{ hostvars['node2.lab'].etcd_nmae }}", vars, {
        host: 'node1.lab',
        task: 't',
      });
      throw new Error('no throw');
    } catch (e) {
      expect((e as Error).message).toBe(
        "'hostvars['node2.lab'].etcd_nmae' is undefined: 'hostvars['node2.lab']' has no attribute 'etcd_nmae'",
      );
      expect((e as { hint?: string }).hint).toBe('did you mean `etcd_name`?');
    }
    expect(renderValue("{{ hostvars['nope'] is defined }}", vars)).toBe(false);
  });

  it('reports a loop through hostvars instead of overflowing the stack', () => {
    const loopVars: Record<string, Vars> = {
      a: { x: "{{ hostvars['b'].y }}" },
      b: { y: "{{ hostvars['a'].x }}" },
    };
    const g = { all: ['a', 'b'] };
    const of = (h: string): Vars | undefined => {
      const v = loopVars[h];
      if (!v) return undefined;
      return {
        ...v,
        ...buildMagicVars({
          groups: g,
          hostvars: of,
          host: h,
          groupNames: [],
          playHosts: [],
          playBatch: [],
          checkMode: false,
          playbookDir: '/',
        }),
      };
    };
    expect(() => renderValue('{{ x }}', of('a') as Vars)).toThrow(/refers to itself/);
  });
});
