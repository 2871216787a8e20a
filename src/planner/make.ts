import type { RunSummary } from '../executor/index.js';
import { runPlaybooks } from '../executor/index.js';
import { CollectReporter, createReporter, TeeReporter } from '../reporters/index.js';
import { buildPlan } from './build.js';
import { computeInputs } from './inputs.js';
import type { PlanSession } from './session.js';
import { withRunStamp } from './stamp.js';
import type { Plan } from '../plan-types.js';

export interface PlanRun {
  plan: Plan;
  summary: RunSummary;
}

export interface MakePlanOptions {
  /** Connect to no host: plan from the inventory and playbooks alone. */
  offline: boolean;
  /** Show the probes as they run (plain lines on stderr). */
  progress: boolean;
  /** The plan's time (its `createdAt` and run stamp). */
  now?: Date;
  /** Leave the session's connections open after the walk (apply runs on them next). */
  keepConnections?: boolean;
  /** The lifeboat version recorded in the plan. */
  lifeboat: string;
}

/** Plan mode of the executor (the same walk and module code as a run), assembled into a Plan. */
export async function makePlan(session: PlanSession, o: MakePlanOptions): Promise<PlanRun> {
  const now = o.now ?? new Date();
  const collect = new CollectReporter();
  const reporter = o.progress ? new TeeReporter([collect, createReporter({ json: false, output: 'plain', stdout: session.err, stderr: session.err })]) : collect;
  const intr = session.interrupt();
  try {
    const run = session.runOptions(reporter, intr.signal);
    const summary = await runPlaybooks({
      ...run,
      extraVars: withRunStamp(session.extraVars, now),
      check: true,
      offline: o.offline,
      diff: true,
    });
    const inputs = computeInputs({ ...session, ...(run.limit !== undefined ? { limit: run.limit } : {}), tags: run.tags ?? [], skipTags: run.skipTags ?? [] });
    const plan = buildPlan(collect.events, { inputs, lifeboat: o.lifeboat, offline: o.offline, now });
    return { plan, summary };
  } finally {
    intr.dispose();
    if (!o.keepConnections) await session.pool.closeAll();
    await reporter.close();
  }
}
