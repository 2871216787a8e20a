import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MASK } from '../secrets.js';
import { checkApplicable, maskedExtraVars, readPlan } from './saved.js';
import { type Plan, PLAN_SCHEMA } from '../plan-types.js';

const dir = mkdtempSync(join(tmpdir(), 'lifeboat-saved-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(over: Partial<Plan> = {}, extraVars: Record<string, unknown> = {}, secretExtraVars?: string[]): Plan {
  return {
    schema: PLAN_SCHEMA,
    createdAt: '2026-01-01T00:00:00.000Z',
    lifeboat: '0.0.0',
    offline: false,
    inputs: { playbooks: [], inventory: [], tags: [], skipTags: [], extraVars, ...(secretExtraVars ? { secretExtraVars } : {}), rolesPath: [], files: {}, hash: 'h' },
    factsHash: 'f',
    summary: { hosts: 0, tasks: 0, changes: 0, failed: 0, unknown: 0 } as Plan['summary'],
    plays: [],
    warnings: [],
    ...over,
  };
}

describe('a saved plan read back for apply', () => {
  it('reads a plan of this schema', () => {
    const f = join(dir, 'ok.json');
    writeFileSync(f, JSON.stringify(plan()));
    expect(readPlan(f).factsHash).toBe('f');
  });

  it('refuses a file that is no JSON, naming it and how to make one', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, '{nope');
    expect(() => readPlan(f)).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining(`${f}: not a readable plan`), hint: expect.stringContaining('lifeboat plan') }));
  });

  it('refuses a plan of another schema', () => {
    const f = join(dir, 'old.json');
    writeFileSync(f, JSON.stringify({ ...plan(), schema: 'lifeboat-plan/0' }));
    expect(() => readPlan(f)).toThrow(`${f}: not a Lifeboat plan of schema ${PLAN_SCHEMA}`);
  });

  it('refuses an offline plan: nothing was probed to compare', () => {
    expect(() => checkApplicable('p.json', plan({ offline: true }), {})).toThrow(/p\.json is an offline plan/);
  });

  it('asks for every -e value the plan saved masked, by name, and accepts the plan once they are given', () => {
    const saved = plan({}, { token: MASK, nested: { a: `x${MASK}` }, plain: 'v' }, ['pw']);
    expect(maskedExtraVars(saved.inputs.extraVars).sort()).toEqual(['nested', 'token']);
    let err: unknown;
    try {
      checkApplicable('p.json', saved, { token: 's3cret' });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'E_USAGE', message: 'the plan p.json has secret -e values that it saved masked: pw, nested', hint: 'give them again: lifeboat apply p.json -e pw=… -e nested=…' });
    expect(() => checkApplicable('p.json', saved, { token: 'a', nested: {}, pw: 'b' })).not.toThrow();
  });
});
