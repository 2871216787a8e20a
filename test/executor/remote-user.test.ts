import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/connection/types.js';
import type { Vars } from '../../src/inventory/types.js';
import { FakePool, runYaml } from './helpers.js';

/** Fake connections keyed, as the real pool is, by host and login user; records the user of each command. */
class UserPool extends FakePool {
  readonly ran: string[] = [];
  override async get(host: string, vars?: Vars): Promise<Connection> {
    const user = String(vars?.ansible_user ?? vars?.ansible_ssh_user ?? '(default)');
    const c = await super.get(host);
    const exec: Connection['exec'] = async (cmd, o) => {
      this.ran.push(`${host} ${user} ${cmd}`);
      return c.exec(cmd, o);
    };
    return { ...c, host, exec } as Connection;
  }
}

describe('remote_user', () => {
  it('is the login user of the play and of a task; an ansible_user variable wins, as in Ansible', async () => {
    const pool = new UserPool();
    const { summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  remote_user: deploy
  tasks:
    - command: echo play
    - command: echo task
      remote_user: "{{ 'ops' }}"
    - command: echo var
      vars: { ansible_user: admin }
`,
      { inventory: 'h1\nh2 ansible_user=root\n', pool },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.ran).toEqual([
      'h1 deploy echo play',
      'h2 root echo play',
      'h1 ops echo task',
      'h2 root echo task',
      'h1 admin echo var',
      'h2 admin echo var',
    ]);
  });

  it('a block and an include pass it on', async () => {
    const pool = new UserPool();
    const { summary } = await runYaml(
      `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: echo in-block
        - include_tasks: more.yml
      remote_user: blockuser
    - command: echo after
`,
      { inventory: 'h1\n', pool, files: { 'more.yml': '- command: echo included\n' } },
    );
    expect(summary.exitCode).toBe(0);
    expect(pool.ran).toEqual(['h1 blockuser echo in-block', 'h1 blockuser echo included', 'h1 (default) echo after']);
  });
});
