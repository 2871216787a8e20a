import { stamp } from './restore.js';

/**
 * The run's timestamp, `YYYYMMDDTHHMMSSZ`: `lifeboat_run_ts` when given — a plan and its `lifeboat apply` share
 * the plan's (src/planner/stamp.ts), so names made from "now" (kept data dirs, fresh snapshot files) are the
 * same in the plan and in the run — else now.
 */
export function runDate(vars: Record<string, unknown>): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(vars.lifeboat_run_ts ?? ''));
  return m ? new Date(Date.UTC(+(m[1] as string), +(m[2] as string) - 1, +(m[3] as string), +(m[4] as string), +(m[5] as string), +(m[6] as string))) : new Date();
}

export function runStamp(vars: Record<string, unknown>): string {
  return stamp(runDate(vars));
}
