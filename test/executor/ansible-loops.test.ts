import { describe, expect, it } from 'vitest';
import { FakePool, runYaml } from './helpers.js';

const play = (tasks: string) => `
- hosts: all
  gather_facts: false
  vars:
    users:
      - { name: alice, keys: [k1, k2] }
      - { name: bob, keys: [k3] }
      - { name: carol }
  tasks:
${tasks}`;

describe('with_nested, with_subelements, with_inventory_hostnames', () => {
  it('with_nested: item is each combination, terms templated per host', async () => {
    const { pool, summary } = await runYaml(
      play(`
    - command: echo {{ item.0 }}-{{ item.1 }}
      with_nested:
        - "{{ users | map(attribute='name') | list | first }}"
        - [x, y]
`),
      { inventory: 'h1\n' },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo alice-x', 'echo alice-y']);
  });

  it('with_subelements: item.0 the record, item.1 the entry; skip_missing leaves records out', async () => {
    const { pool, summary } = await runYaml(
      play(`
    - command: echo {{ item.0.name }} {{ item.1 }}
      with_subelements:
        - "{{ users }}"
        - keys
        - skip_missing: true
`),
      { inventory: 'h1\n' },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['echo alice k1', 'echo alice k2', 'echo bob k3']);
  });

  it('with_subelements without skip_missing fails the task on a record without the key', async () => {
    const { ev, pool, summary } = await runYaml(
      play(`
    - command: echo {{ item.1 }}
      with_subelements: ["{{ users }}", keys]
`),
      { inventory: 'h1\n' },
    );
    expect(summary.exitCode).not.toBe(0);
    expect(pool.execs('h1')).toEqual([]);
    expect(ev.of('host_result')[0]?.msg).toMatch(/could not find 'keys' key/);
  });

  it('with_inventory_hostnames: the hosts of a pattern, in inventory order', async () => {
    const { pool } = await runYaml(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - command: echo {{ item }}
      with_inventory_hostnames: "etcd:!h3"
`,
      { inventory: 'h1\n[etcd]\nh2\nh3\nh4\n', pool: new FakePool() },
    );
    expect(pool.execs('h1')).toEqual(['echo h2', 'echo h4']);
  });
});
