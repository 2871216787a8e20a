import type { RunState } from './state.js';

/**
 * Exit codes (docs/execution.md): 130 interrupted; 70 a bug; 4 invalid input; 5 apply refused steps the
 * plan did not show; 3 a host ended the run
 * unreachable; 2 a host ended the run failed; 0 otherwise. Ignored and rescued failures do not count.
 */
export const EXIT_CODES = { ok: 0, failed: 2, unreachable: 3, invalid: 4, stale: 5, internal: 70, interrupted: 130 } as const;

export function exitCodeOf(state: RunState, o: { interrupted: boolean; internal: boolean }): number {
  if (o.interrupted) return EXIT_CODES.interrupted;
  if (o.internal) return EXIT_CODES.internal;
  if (state.invalidInput) return EXIT_CODES.invalid;
  if (state.stale) return EXIT_CODES.stale;
  if (state.unreachable.size > 0) return EXIT_CODES.unreachable;
  if (state.failed.size > 0) return EXIT_CODES.failed;
  return EXIT_CODES.ok;
}
