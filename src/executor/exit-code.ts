import type { RunState } from './state.js';

/**
 * The documented exit codes (docs/execution.md), the one table of them: the executor's run ends with one, and
 * the CLI's commands return them for what they refuse before a run.
 */
export const EXIT = {
  OK: 0,
  /** One or more tasks failed (a host ended the run failed; ignored and rescued failures do not count). */
  TASK_FAILED: 2,
  /** One or more hosts were unreachable. */
  UNREACHABLE: 3,
  /** Input problem reported before anything ran: usage, inventory, playbook, validation. */
  USAGE: 4,
  /** The plan given to `apply` no longer matches the present (inputs, probed facts, or steps it did not show). */
  PLAN_STALE: 5,
  /** A bug in Lifeboat. */
  INTERNAL: 70,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

export function exitCodeOf(state: RunState, o: { interrupted: boolean; internal: boolean }): number {
  if (o.interrupted) return EXIT.INTERRUPTED;
  if (o.internal) return EXIT.INTERNAL;
  if (state.invalidInput) return EXIT.USAGE;
  if (state.stale) return EXIT.PLAN_STALE;
  if (state.unreachable.size > 0) return EXIT.UNREACHABLE;
  if (state.failed.size > 0) return EXIT.TASK_FAILED;
  return EXIT.OK;
}
