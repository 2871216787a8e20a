import { runPlaybooks } from '../executor/index.js';
import type { Reporter } from '../executor/events.js';
import { EXIT } from '../executor/exit-code.js';
import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { SecretSet } from '../secrets.js';
import { diffPlans } from './compare.js';
import { computeInputs, diffInputs } from './inputs.js';
import { makePlan } from './make.js';
import { checkApplicable, readPlan, stalePlan } from './saved.js';
import type { PlanSession } from './session.js';
import { withRunStamp } from './stamp.js';
import type { Plan, PlanInputs } from '../plan-types.js';

export interface ApplyRequest {
  /** The saved plan (`lifeboat plan --out FILE`). */
  file: string;
  /** The secret `-e` values given again (only those the plan saved masked make a difference). */
  given: Vars;
  /** The process's one SecretSet: the values given again are secrets of this run. */
  secrets: SecretSet;
  /**
   * Loads the run from the plan's own inputs (not from new command-line choices): its inventory, playbooks,
   * roles path, tags and limit, and these extra variables (the plan's, with the secrets given again).
   */
  open(inputs: PlanInputs, extraVars: Vars): Promise<PlanSession>;
  /** The run's reporter, made once the plan is found to still match. */
  reporter(): Reporter;
  /** The lifeboat version (recorded in the fresh plan compared with the saved one). */
  lifeboat: string;
}

/**
 * `lifeboat apply`: reads a saved plan, re-hashes its inputs and re-plans on the same session (same inputs,
 * open connections, -K asked once), refuses (E_PLAN_STALE) when anything differs, else runs it with the
 * saved plan as `RunOptions.expect` (a host about to run a step the plan did not show stops the run).
 * Returns the run's exit code.
 */
export async function applyPlan(req: ApplyRequest): Promise<number> {
  const { file, given } = req;
  const saved: Plan = readPlan(file);
  // The secret -e values given again are secrets of this run: masked in its output as in the plan.
  req.secrets.addDeep(given);
  checkApplicable(file, saved, given);
  const inp = saved.inputs;
  const planTime = new Date(saved.createdAt);

  // One session for the check and the run: the inputs loaded and hashed are the ones that run, the
  // connections stay open, and -K asks once.
  const session = await req.open(inp, { ...inp.extraVars, ...given });
  const inputDiff = diffInputs(inp, computeInputs({ ...session, ...(inp.limit !== undefined ? { limit: inp.limit } : {}), tags: inp.tags, skipTags: inp.skipTags }));
  if (inputDiff.length) {
    await session.pool.closeAll();
    throw stalePlan(file, inputDiff);
  }
  let fresh: Plan;
  try {
    ({ plan: fresh } = await makePlan(session, { offline: saved.offline, progress: false, now: planTime, keepConnections: true, lifeboat: req.lifeboat }));
  } catch (err) {
    await session.pool.closeAll();
    throw err;
  }
  const factDiff = diffPlans(saved, fresh);
  if (factDiff.length) {
    await session.pool.closeAll();
    throw stalePlan(file, factDiff);
  }
  session.err.write(`Plan ${file} still matches the present (inputs ${inp.hash.slice(0, 12)}, facts ${saved.factsHash.slice(0, 12)}): applying.\n`);
  const reporter = req.reporter();
  const intr = session.interrupt();
  try {
    const summary = await runPlaybooks({
      ...session.runOptions(reporter, intr.signal),
      extraVars: withRunStamp(session.extraVars, planTime),
      check: false,
      diff: false,
      expect: saved,
    });
    return summary.exitCode;
  } catch (err) {
    if (err instanceof LifeboatError && err.code === 'E_PLAN_STALE') return EXIT.PLAN_STALE;
    throw err;
  } finally {
    intr.dispose();
    await session.pool.closeAll();
    await reporter.close();
  }
}
