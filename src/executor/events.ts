import type { FileDiff } from '../modules/types.js';
import type { PlanReason, PlanStatus, PlannedStep } from '../plan-types.js';

export type { PlannedStep } from '../plan-types.js';

/**
 * Everything the executor reports flows as these events, to reporters (listr2, plain, NDJSON) and,
 * in plan mode, to the planner that assembles the plan. `--json` prints them one per line.
 * The schema is versioned by EVENT_SCHEMA_VERSION and documented in docs/events.md.
 */
export const EVENT_SCHEMA_VERSION = 1;

import type { RunStatus } from '../status.js';

export interface HostCounts {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  rescued: number;
  ignored: number;
}

export type RunEvent =
  | { type: 'run_start'; ts: string; v: number; playbook: string; check: boolean }
  | { type: 'play_start'; ts: string; play: string; playIndex: number; hosts: string[] }
  | { type: 'batch_start'; ts: string; play: string; batchIndex: number; hosts: string[] }
  | {
      type: 'task_start';
      ts: string;
      play: string;
      task: string;
      taskId: string;
      file?: string;
      line?: number;
      hosts: string[];
      handler?: boolean;
    }
  | { type: 'host_start'; ts: string; taskId: string; task: string; host: string; delegatedTo?: string }
  | {
      type: 'host_result';
      ts: string;
      taskId: string;
      task: string;
      host: string;
      status: RunStatus;
      changed: boolean;
      durationMs: number;
      delegatedTo?: string;
      item?: unknown;
      rc?: number;
      stdout?: string; // truncated
      stderr?: string; // truncated
      msg?: string;
      ignored?: boolean;
      /** run_once: this host was given the result of the task run on that host (output is on that host's event). */
      runOnceOf?: string;
      /** The steps that ran (run) */
      steps?: PlannedStep[];
    }
  | {
      /** Plan mode only: what would happen on this host for this task. */
      type: 'host_plan';
      ts: string;
      play: string;
      taskId: string;
      task: string;
      host: string;
      batchIndex: number;
      /** change: will change; ok: no change; skip: `when` false; unknown: cannot say before running. */
      status: PlanStatus;
      steps: PlannedStep[];
      destructive: string[];
      reason?: string; // `why` in words, e.g. the false `when`, or "depends on register `x`"
      why?: PlanReason;
      notes?: string[];
      diff?: FileDiff[];
      runOn?: string; // delegate_to / run_once host
      item?: unknown;
    }
  | { type: 'task_end'; ts: string; taskId: string; task: string; durationMs: number }
  | { type: 'play_end'; ts: string; play: string }
  | { type: 'warning'; ts: string; msg: string; host?: string }
  | { type: 'recap'; ts: string; hosts: Record<string, HostCounts>; durationMs: number; exitCode: number };

export interface Reporter {
  emit(ev: RunEvent): void;
  close(): Promise<void>;
}
