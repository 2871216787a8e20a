import { describe, expect, it } from 'vitest';
import { FakePool, runYaml } from './helpers.js';

describe('runPlaybooks: the linear walk', () => {
  it('runs each task on every host, results in inventory order, and counts the recap', async () => {
    const { summary, ev, pool } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - name: one
      command: echo one
    - name: two
      command: echo two {{ inventory_hostname }}
`);
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h2')).toEqual(['echo one', 'echo two h2']);
    const results = ev.of('host_result');
    expect(results.map((r) => `${r.task}/${r.host}`)).toEqual(['one/h1', 'one/h2', 'one/h3', 'two/h1', 'two/h2', 'two/h3']);
    expect(summary.hosts.h1).toEqual({ ok: 0, changed: 2, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 });
    const types = ev.events.map((e) => e.type);
    expect(types[0]).toBe('run_start');
    expect(types[types.length - 1]).toBe('recap');
    expect(ev.of('recap')[0]?.exitCode).toBe(0);
    expect(ev.of('task_start').map((t) => t.hosts)).toEqual([
      ['h1', 'h2', 'h3'],
      ['h1', 'h2', 'h3'],
    ]);
  });

  it('a failed host drops out of the rest of the play; exit code 2', async () => {
    const pool = new FakePool((c) => {
      if (c.host === 'h2') c.on('check-me', { rc: 1, stderr: 'boom' });
    });
    const { summary, ev } = await runYaml(
      `
- hosts: all
  gather_facts: false
  tasks:
    - command: check-me
    - command: after
- hosts: all
  gather_facts: false
  tasks:
    - command: next-play
`,
      { pool },
    );
    expect(summary.exitCode).toBe(2);
    expect(pool.execs('h2')).toEqual(['check-me']);
    expect(pool.execs('h3')).toEqual(['check-me', 'after', 'next-play']);
    expect(summary.hosts.h2?.failed).toBe(1);
    const failed = ev.of('host_result').find((r) => r.host === 'h2');
    expect(failed?.status).toBe('failed');
    expect(failed?.stderr).toBe('boom');
    expect(failed?.rc).toBe(1);
  });

  it('results come out in inventory order even when hosts finish in another order', async () => {
    const pool = new FakePool();
    const slow = (host: string, ms: number) => {
      const c = pool.conn(host);
      const orig = c.exec.bind(c);
      c.exec = async (cmd, o) => {
        await new Promise((r) => setTimeout(r, ms));
        return orig(cmd, o);
      };
    };
    slow('h1', 60);
    slow('h2', 5);
    const { ev } = await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - command: x
`, { pool });
    expect(ev.of('host_result').map((r) => r.host)).toEqual(['h1', 'h2', 'h3']);
  });

  it('forks limits how many hosts run a task at once', async () => {
    const pool = new FakePool();
    let running = 0;
    let peak = 0;
    for (const h of ['h1', 'h2', 'h3', 'h4', 'h5']) {
      const c = pool.conn(h);
      const orig = c.exec.bind(c);
      c.exec = async (cmd, o) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return orig(cmd, o);
      };
    }
    await runYaml(`
- hosts: all
  gather_facts: false
  tasks:
    - command: x
`, { pool, forks: 2, inventory: 'h1\nh2\nh3\nh4\nh5\n' });
    expect(peak).toBe(2);
    expect(pool.execs('h5')).toEqual(['x']);
  });

  it('--limit narrows the play; -e extra vars win over play vars', async () => {
    const { pool, ev } = await runYaml(`
- hosts: all
  gather_facts: false
  vars: { word: play }
  tasks:
    - command: echo {{ word }}
`, { limit: 'h1,h3', extraVars: { word: 'extra' } });
    expect(pool.execs('h1')).toEqual(['echo extra']);
    expect(pool.execs('h2')).toEqual([]);
    expect(ev.of('play_start')[0]?.hosts).toEqual(['h1', 'h3']);
  });

  it('an undefined variable fails that host with the variable and file:line named', async () => {
    const { summary, ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: uses nope
      command: echo {{ nope }}
`);
    expect(summary.exitCode).toBe(2);
    const r = ev.of('host_result')[0];
    expect(r?.status).toBe('failed');
    expect(r?.msg).toMatch(/site\.yml:\d+:\d+: .*'nope' is undefined/);
    expect(r?.msg).toContain('host h1');
  });

  it('module arguments that do not fit the schema after rendering fail with the module, task and place', async () => {
    const { ev } = await runYaml(`
- hosts: h1
  gather_facts: false
  vars: { p: 5 }
  tasks:
    - name: bad path
      xt_probe:
        path: "{{ p }}"
`);
    const r = ev.of('host_result')[0];
    expect(r?.status).toBe('failed');
    expect(r?.msg).toMatch(/site\.yml:6:\d+: invalid arguments for module xt_probe: path must be string \(host h1, task "bad path"\)/);
  });
});
