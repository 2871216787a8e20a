import { describe, expect, it } from 'vitest';
import { runYaml } from './helpers.js';

describe('delegate_facts', () => {
  it('with delegate_to, set_fact values go to the delegated host, not the current one', async () => {
    const { pool } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - set_fact: { peer: "from-{{ inventory_hostname }}" }
      delegate_to: h2
      delegate_facts: true
    - set_fact: { plain: "p-{{ inventory_hostname }}" }
      delegate_to: h2
- hosts: all
  gather_facts: false
  tasks:
    - command: echo {{ peer | default('none') }} {{ plain | default('none') }}
`);
    expect(pool.execs('h1')).toEqual(['echo none p-h1']);
    expect(pool.execs('h2')).toEqual(['echo from-h1 none']);
  });
});
