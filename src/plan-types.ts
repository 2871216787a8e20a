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

export type PlanStatus = 'change' | 'ok' | 'skip' | 'unknown' | 'fail';

export interface PlanHostEntry {
  host: string;
  status: PlanStatus;
  steps: PlannedStep[];
  destructive: string[];
  reason?: string;
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
