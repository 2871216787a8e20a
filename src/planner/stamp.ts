import type { Vars } from '../inventory/types.js';

/**
 * One timestamp per plan, shared by the plan and its `lifeboat apply`: given to the run as the variable
 * `lifeboat_run_ts` (`YYYYMMDDTHHMMSSZ`, the plan's `createdAt`), so names derived from "now" (the restore's
 * kept data dirs) are the same in the plan and in the run. Not an input: it is not hashed.
 */
export const RUN_STAMP_VAR = 'lifeboat_run_ts';

export function runStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export function withRunStamp(extraVars: Vars, d: Date): Vars {
  if (RUN_STAMP_VAR in extraVars) return extraVars;
  return { ...extraVars, [RUN_STAMP_VAR]: runStamp(d) };
}
