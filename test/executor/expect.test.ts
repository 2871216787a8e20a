import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/planner/build.js';
import type { PlanInputs } from '../../src/plan-types.js';
import { FakePool, runYaml } from './helpers.js';

const inputs: PlanInputs = { playbooks: [], inventory: [], tags: [], skipTags: [], extraVars: {}, rolesPath: [], files: {}, hash: 'x' };

const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - xt_ensure: { path: /a }
    - xt_ensure: { path: /b }
      loop: [1]
    - command: echo done
`;

describe('apply: the run checks its steps against the reviewed plan (expect)', () => {
  it('runs when every step was in the plan (doing less than planned is fine)', async () => {
    const planned = await runYaml(pb, { check: true, pool: new FakePool((c) => c.on('test -e', { rc: 1 })) });
    const plan = buildPlan(planned.ev.events, { inputs, lifeboat: 'test', offline: false });
    // h2 got /a in the meantime: it does less than planned.
    const pool = new FakePool((c) => c.on('test -e /a', { rc: c.host === 'h2' ? 0 : 1 }).on('test -e', { rc: 1 }));
    const { summary } = await runYaml(pb, { expect: plan, pool });
    expect(summary.exitCode).toBe(0);
    expect(pool.execs('h1')).toEqual(['test -e /a', 'touch /a', 'test -e /b', 'touch /b', 'echo done']);
    expect(pool.execs('h2')).toEqual(['test -e /a', 'test -e /b', 'touch /b', 'echo done']);
  });

  it('refuses a step the plan did not show: nothing more starts, exit 5', async () => {
    const planned = await runYaml(pb, { check: true, pool: new FakePool((c) => c.on('test -e /a', { rc: 0 }).on('test -e', { rc: 1 })) });
    const plan = buildPlan(planned.ev.events, { inputs, lifeboat: 'test', offline: false });
    const pool = new FakePool((c) => c.on('test -e /a', { rc: c.host === 'h3' ? 1 : 0 }).on('test -e', { rc: 1 }));
    const { summary, ev } = await runYaml(pb, { expect: plan, pool });
    expect(summary.exitCode).toBe(5);
    expect(pool.execs('h3')).toEqual(['test -e /a']);
    expect(pool.execs('h1')).toEqual(['test -e /a']);
    expect(ev.of('warning')[0]?.msg).toMatch(/plan stale: .*h3 would run steps the plan did not show:\n\s+touch \/a/);
  });
});
