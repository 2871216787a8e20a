/**
 * The one status vocabulary: what a task did (a run) or will do (a plan) on one host, for one loop item or for
 * all of them. Every other status type is a narrowing of `Status`, and `PlanStatus` is its spelling in a plan;
 * the two maps from `Status` below are the only translations.
 */
export type Status = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'unknown' | 'interrupted';

/**
 * What a run reports (`host_result` events, the recap's counts). A run knows its outcome, so never `unknown`
 * (only plan mode concludes that); a step cut off by Ctrl-C is reported `failed` with `msg: interrupted` — the
 * event schema has no `interrupted` — while the executor keeps `interrupted` itself so it stops the host.
 */
export type RunStatus = Exclude<Status, 'unknown' | 'interrupted'>;

/**
 * What plan mode concludes from a module's Operation alone (executor/result.ts): reaching the module, the task
 * was neither skipped nor cut off, and the host was reached.
 */
export type OperationStatus = Extract<Status, 'ok' | 'changed' | 'failed' | 'unknown'>;

/**
 * A status as a plan spells it: plan schema `lifeboat.plan/v1` and the `host_plan` event have said `change`,
 * `skip` and `fail` since they exist, and saved plans and event readers depend on those words, so this is the
 * one distinction kept. A plan does not tell an unreachable or interrupted host from a failing task: all `fail`
 * (the entry's `why` says which).
 */
export type PlanStatus = 'change' | 'ok' | 'skip' | 'unknown' | 'fail';

/** `Status` → its plan spelling. */
export const PLAN_STATUS: { readonly [S in Status]: PlanStatus } = {
  ok: 'ok',
  changed: 'change',
  failed: 'fail',
  skipped: 'skip',
  unreachable: 'fail',
  unknown: 'unknown',
  interrupted: 'fail',
};

/** `Status` → what a run reports (see `RunStatus`). */
export function runStatus(s: Status): RunStatus {
  switch (s) {
    case 'unknown':
      return 'ok';
    case 'interrupted':
      return 'failed';
    default:
      return s;
  }
}
