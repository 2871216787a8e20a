// The plan's types: a leaf file (docs/architecture.md), so the executor (`lifeboat apply` checks steps against
// `RunOptions.expect`, a saved plan), the modules (their file diffs) and the planner above them all import the
// one definition. A leaf imports nothing from the layers: what it needs of them is declared here, and the layers'
// own types must fit it (executor/output.ts puts a module's `Step['kind']` into a `PlannedStep`, so a new kind of
// step that is not added to `StepKind` does not compile).

/** The kinds of `Step` (modules/types.ts) a plan shows. */
export type StepKind = 'exec' | 'put' | 'get';

/** A file a step writes: its content on the host now (probed) and after the step. */
export interface FileDiff {
  path: string;
  before: string;
  after: string;
}

/** A host's step as the plan shows it (and as the run executed it). Secrets already masked. */
export interface PlannedStep {
  kind: StepKind;
  /** exec: the command; put: "put DEST (mode, owner)"; get: "get SRC -> DEST". */
  text: string;
  description?: string;
  destructive?: string;
  become?: boolean;
}

/**
 * A plan: what a run would do, per play, task and host, in order. Stable, versioned JSON
 * (docs/plan-format.md); `lifeboat apply` runs it and refuses when the present differs.
 */
export const PLAN_SCHEMA = 'lifeboat.plan/v1';

import type { PlanStatus } from './status.js';

export type { PlanStatus } from './status.js';

/**
 * Why an entry has its status, as data (as Terraform's action reasons): renderers word it from the kind. The
 * plan and the `host_plan` event carry it as `why`, beside `reason`, the same in words (`reasonString`).
 */
export type PlanReason =
  /** skip: this `when` condition (the first false one, outer blocks and includes first) is false. */
  | { kind: 'when-false'; expr: string }
  /** fail: the task fails now (its message: a failed assertion, a bad template, a module's error). */
  | { kind: 'failed'; message: string }
  /** fail: the host cannot be reached. */
  | { kind: 'unreachable'; message: string }
  /** unknown: a template reads a value known only when an earlier task has run (in the task, or in its `in`). */
  | { kind: 'unknown-value'; variable: string; source: 'register' | 'fact'; in?: 'loop' | 'changed_when' | 'failed_when' }
  /** unknown: the module (a command, a shell) cannot tell before running whether it changes anything. */
  | { kind: 'cannot-tell' }
  /** unknown: an offline plan does not reach the host the module needs to look at. */
  | { kind: 'offline' }
  /** run_once: the task runs on that host; the others are given its result. */
  | { kind: 'run-once'; on: string }
  /** a handler whose notifying tasks' change is unknown: it may or may not run. */
  | { kind: 'maybe-notified' };

/** A reason in words: the plan's and the event's `reason`, and Ansible's `skip_reason` for a false `when`. */
export function reasonString(r: PlanReason): string {
  switch (r.kind) {
    case 'when-false':
      return `Conditional result was False: ${r.expr}`;
    case 'failed':
      return r.message;
    case 'unreachable':
      return `unreachable: ${r.message}`;
    case 'unknown-value':
      return `${r.in ? `${r.in} ` : ''}depends on ${r.source} \`${r.variable}\`, unknown until run`;
    case 'cannot-tell':
      return 'the module cannot tell before running whether it changes anything';
    case 'offline':
      return 'offline: the module needs to look at the host';
    case 'run-once':
      return `run_once: runs on ${r.on}, result given to every host`;
    case 'maybe-notified':
      return 'runs only if a notifying task reports a change (unknown until run)';
  }
}

export interface PlanHostEntry {
  host: string;
  status: PlanStatus;
  steps: PlannedStep[];
  destructive: string[];
  /** `why` in words; a plan saved before `why` existed has only this. */
  reason?: string;
  why?: PlanReason;
  notes?: string[];
  diff?: FileDiff[];
  runOn?: string;
  item?: unknown;
  batch: number;
}

export interface PlanTask {
  id: string;
  name: string;
  file?: string;
  line?: number;
  handler?: boolean;
  hosts: PlanHostEntry[];
}

export interface PlanPlay {
  name: string;
  hosts: string[];
  batches: string[][];
  tasks: PlanTask[];
}

export interface PlanSummary {
  hosts: number;
  tasks: number;
  changes: number;
  destructive: number;
  unknown: number;
  skipped: number;
  failed: number;
}

/** What the plan was made from; `apply` re-reads these and compares. */
export interface PlanInputs {
  playbooks: string[];
  inventory: string[];
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: Record<string, unknown>;
  /** Names of the `-e` inputs whose values were secret and saved masked: `apply` needs them given again. */
  secretExtraVars?: string[];
  rolesPath: string[];
  /** sha256 of every input file read (inventory, playbooks, roles, vars files, templates, files). */
  files: Record<string, string>;
  /** sha256 over all of the above. */
  hash: string;
}

export interface Plan {
  schema: typeof PLAN_SCHEMA;
  createdAt: string;
  lifeboat: string;
  offline: boolean;
  inputs: PlanInputs;
  /** sha256 over every host's planned steps, statuses and probe notes: what the probes saw. */
  factsHash: string;
  summary: PlanSummary;
  plays: PlanPlay[];
  warnings: string[];
}
