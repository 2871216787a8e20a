import { LifeboatError, LifeboatErrors } from '../errors.js';
import type { EventBody, RunCtx } from './context.js';
import { EVENT_SCHEMA_VERSION, type HostCounts, type RunEvent } from './events.js';
import { exitCodeOf } from './exit-code.js';
import { DEFAULT_FORKS, type RunOptions, type RunSummary } from './options.js';
import { runPlay } from './play.js';
import { RunState } from './state.js';
import { makeTagFilter } from './tags.js';

export type { ConnectionPool, RunOptions, RunSummary } from './options.js';
export { DEFAULT_FORKS } from './options.js';

/**
 * Runs (or, with `check`, plans) playbooks: plays × serial batches × tasks × hosts, linear strategy.
 * Everything is reported as RunEvents to opts.reporter; the recap's exit code is documented in
 * docs/execution.md. Never throws for a task failure, a bad template or an unreachable host: those are
 * results. An invalid playbook found during the walk (e.g. a notify naming no handler) ends the run with 4.
 */
export async function runPlaybooks(opts: RunOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const state = new RunState(opts.startAtTask);
  // Every event, warnings included, is masked with the run's live SecretSet before any reporter sees it.
  const emit = (ev: EventBody): void => opts.reporter.emit(opts.secrets.maskDeep({ ts: new Date().toISOString(), ...ev } as RunEvent));
  const run: RunCtx = {
    opts,
    state,
    tags: makeTagFilter(opts.tags, opts.skipTags),
    forks: opts.forks > 0 ? opts.forks : DEFAULT_FORKS,
    secrets: opts.secrets,
    emit,
    playCount: 0,
    cache: { inventoryVars: new Map(), groupNames: new Map() },
  };
  emit({ type: 'run_start', v: EVENT_SCHEMA_VERSION, playbook: opts.playbooks.map((p) => p.file).join(', '), check: opts.check });
  let internal = false;
  try {
    outer: for (const pb of opts.playbooks) {
      for (let i = 0; i < pb.plays.length; i++) {
        if (state.stopped || opts.signal?.aborted) break outer;
        await runPlay(run, pb, pb.plays[i] as (typeof pb.plays)[number], i);
      }
    }
  } catch (e) {
    const errs = e instanceof LifeboatErrors ? e.errors : e instanceof LifeboatError ? [e] : undefined;
    if (errs) {
      state.invalidInput = true;
      for (const err of errs) emit({ type: 'warning', msg: err.format(), ...(err.host ? { host: err.host } : {}) });
    } else {
      internal = true;
      emit({ type: 'warning', msg: `internal error (a bug in Lifeboat): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
    }
  }
  if (!state.started && !state.invalidInput && !internal) {
    state.invalidInput = true;
    emit({ type: 'warning', msg: `--start-at-task: no task named "${opts.startAtTask}" was found; nothing ran` });
  }
  const hosts: Record<string, HostCounts> = {};
  for (const [h, c] of state.counts) hosts[h] = { ...c };
  const exitCode = exitCodeOf(state, { interrupted: opts.signal?.aborted === true, internal });
  const durationMs = Math.round(performance.now() - t0);
  emit({ type: 'recap', hosts, durationMs, exitCode });
  const resume = exitCode !== 0 && !opts.check ? state.resume : undefined;
  return { exitCode, hosts, durationMs, ...(resume ? { resume } : {}) };
}
