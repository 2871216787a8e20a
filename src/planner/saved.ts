import { readFileSync } from 'node:fs';
import type { Vars } from '../inventory/types.js';
import { LifeboatError } from '../errors.js';
import { MASK } from '../secrets.js';
import { type Plan, PLAN_SCHEMA } from '../plan-types.js';

/** A plan saved by `lifeboat plan --out FILE`, read back for `lifeboat apply FILE`. */
export function readPlan(file: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  } catch (err) {
    throw new LifeboatError('E_USAGE', `${file}: not a readable plan (${(err as Error).message})`, {
      hint: 'make one with `lifeboat plan … --out FILE`',
    });
  }
  if (plan?.schema !== PLAN_SCHEMA) {
    throw new LifeboatError('E_USAGE', `${file}: not a Lifeboat plan of schema ${PLAN_SCHEMA}`, {
      hint: 'make a new plan with this version of lifeboat (`lifeboat plan … --out FILE`)',
    });
  }
  return plan;
}

/** The `-e` values a plan saved masked (secrets): they must be given again to apply it. */
export function maskedExtraVars(extra: Record<string, unknown>): string[] {
  return Object.keys(extra).filter((k) => JSON.stringify(extra[k]).includes(MASK));
}

/**
 * Refuses a saved plan that cannot be applied as given: an offline plan (nothing was probed to hold the
 * present against), or one whose secret `-e` values (saved masked) are not given again.
 */
export function checkApplicable(file: string, saved: Plan, given: Vars): void {
  if (saved.offline) {
    throw new LifeboatError('E_USAGE', `${file} is an offline plan: it probed no host, so there is nothing to hold the present against`, {
      hint: 'make the plan without --offline (the hosts must be reachable), review it, then apply that one',
    });
  }
  const inp = saved.inputs;
  const secretNames = new Set([...(inp.secretExtraVars ?? []), ...maskedExtraVars(inp.extraVars)]);
  const missing = [...secretNames].filter((k) => !(k in given));
  if (missing.length) {
    throw new LifeboatError('E_USAGE', `the plan ${file} has secret -e values that it saved masked: ${missing.join(', ')}`, {
      hint: `give them again: lifeboat apply ${file} ${missing.map((k) => `-e ${k}=…`).join(' ')}`,
    });
  }
}

/** The refusal of a plan the present no longer matches, naming every difference. */
export function stalePlan(file: string, what: string[]): LifeboatError {
  return new LifeboatError('E_PLAN_STALE', `the plan ${file} no longer matches the present:\n  - ${what.join('\n  - ')}`, {
    hint: 'make a new plan, review it, and apply that one',
  });
}
