import type { FailInfo, PlayCtx } from './context.js';

/**
 * A block being run. A host that fails (or becomes unreachable) inside it is recorded here instead of
 * dropping out at once: it skips the rest of the block, runs `rescue` (if any) and `always`, and only then
 * drops out, or is passed on to the enclosing block.
 */
export interface Scope {
  failed: Map<string, FailInfo>;
}

/** A host's task failed (not ignored): hand it to the enclosing block, or take it out of the run. */
export function hostFailed(pc: PlayCtx, host: string, info: FailInfo, scope: Scope | undefined, fatal: boolean): void {
  if (scope) {
    if (!scope.failed.has(host)) scope.failed.set(host, info);
    return;
  }
  hostDown(pc, host, info, fatal);
}

/** Out of the run for good: counted (a failure; an unreachable host was counted when it happened). */
export function hostDown(pc: PlayCtx, host: string, info: FailInfo, fatal: boolean): void {
  const st = pc.run.state;
  if (info.kind === 'failed') {
    st.failed.add(host);
    st.count(host, 'failed');
  } else st.unreachable.add(host);
  pc.batchFailed.add(host);
  if (fatal && !st.stopped) {
    st.stopped = true;
    pc.run.emit({
      type: 'warning',
      msg: `any_errors_fatal: ${host} ${info.kind === 'failed' ? 'failed' : 'is unreachable'} in task "${info.task.name}"; no further task starts`,
      host,
    });
  }
}

/** max_fail_percentage: more than this share of the batch failed → stop (as Ansible, strictly greater). */
export function checkMaxFail(pc: PlayCtx): void {
  const pct = pc.play.maxFailPercentage;
  if (pct === undefined || pc.run.state.stopped || pc.batch.length === 0) return;
  const share = (pc.batchFailed.size / pc.batch.length) * 100;
  if (share > pct) {
    pc.run.state.stopped = true;
    pc.run.emit({
      type: 'warning',
      msg: `max_fail_percentage ${pct}% exceeded: ${pc.batchFailed.size} of ${pc.batch.length} hosts of batch ${pc.batchIndex + 1} failed; no further task starts`,
    });
  }
}
