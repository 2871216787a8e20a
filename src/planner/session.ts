import type { RunOptions } from '../executor/index.js';
import type { Reporter } from '../executor/events.js';
import type { MaskedWriter } from '../secrets.js';
import type { InputSources } from './inputs.js';

/**
 * What the planner needs of a loaded run: the inputs it hashes, the connections it closes, and the command
 * line's run options. The CLI's session gives it (cli/session.ts `plannerSession`); the planner never reads
 * the command line or the process itself.
 */
export interface PlanSession extends Omit<InputSources, 'limit' | 'tags' | 'skipTags'> {
  pool: { closeAll(): Promise<void> };
  /** The run options every walk of this session shares, for one walk's reporter and cancel signal. */
  runOptions(reporter: Reporter, signal: AbortSignal): Omit<RunOptions, 'check' | 'diff'>;
  /** Ctrl-C for one walk: the signal the walk is cancelled with, and how to stop listening after it. */
  interrupt(): { signal: AbortSignal; dispose(): void };
  /** Standard error (masked): progress lines and the apply's "still matches" line. */
  err: MaskedWriter;
}
