import type { Vars } from '../inventory/types.js';
import type { SecretSet } from '../secrets.js';
import type { ActionTask, Play, Playbook, RoleRef } from '../playbook/types.js';
import type { RunEvent } from './events.js';
import type { RunOptions } from './options.js';
import type { RunState } from './state.js';
import type { TagFilter } from './tags.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before its timestamp is added. */
export type EventBody = DistributiveOmit<RunEvent, 'ts'>;

/** Everything one run shares. */
export interface RunCtx {
  opts: RunOptions;
  state: RunState;
  tags: TagFilter;
  forks: number;
  /** opts.secrets (the same object), to which the executor adds become passwords and `secret` variables' values. */
  secrets: SecretSet;
  emit(ev: EventBody): void;
  /** Caches that live as long as the run (inventory lookups). */
  /** Plays started so far (over every playbook). */
  playCount: number;
  cache: { inventoryVars: Map<string, Vars>; groupNames: Map<string, string[]>; groups?: Record<string, string[]> };
}

/** What a failed host carries into `rescue` (ansible_failed_task / ansible_failed_result). */
export interface FailInfo {
  kind: 'failed' | 'unreachable';
  task: { name: string; module: string };
  result: Record<string, unknown>;
}

/** One play's walk (one batch at a time). */
export interface PlayCtx {
  run: RunCtx;
  playbook: Playbook;
  play: Play;
  playIndex: number;
  /** The play's position among every play of the run (the plan's `plays` index). */
  playSeq: number;
  /** Every host of the play (after --limit), inventory order. */
  playHosts: string[];
  batch: string[];
  batchIndex: number;
  /** `meta: end_host`, for the rest of the play. */
  ended: Set<string>;
  /** `meta: end_play`. */
  playEnded: boolean;
  /** `meta: end_role` (added field): per host, the role whose remaining tasks it skips (until another starts). */
  endedRole?: Map<string, RoleRef>;
  /** Hosts that failed or became unreachable in this batch (max_fail_percentage). */
  batchFailed: Set<string>;
  /** Handler → hosts that notified it (and, in plan mode, whether only maybe). */
  notified: Map<ActionTask, Map<string, 'yes' | 'maybe'>>;
  /** Per-host failure being rescued (ansible_failed_task / ansible_failed_result in rescue). */
  failInfo: Map<string, FailInfo>;
  /** Task ids: a number per task node of the play, the same in every batch (see taskIdFor). */
  nodeIds: Map<object, number>;
  /** How often each node ran in this batch (an include in a loop runs its tasks more than once). */
  runs: Map<number, number>;
  /** Files and roles loaded by include_tasks / include_role, by target and parameters (read once per play). */
  includes: Map<string, Promise<{ nodes: import('../playbook/types.js').TaskNode[]; role?: import('../playbook/types.js').RoleRef }>>;
  /** Per host, the play's vars_files layers when some path is a template (see vars-files.ts). */
  varsFilesOf: Map<string, Vars[]>;
  varsFileCache: Map<string, Promise<Vars>>;
  /** Handlers of roles brought in by include_role (they join the play's). */
  extraHandlers: ActionTask[];
}

export function isHostActive(pc: PlayCtx, host: string): boolean {
  return !pc.playEnded && !pc.ended.has(host) && !pc.run.state.isDown(host);
}

/** False once the run must not start anything new (Ctrl-C, any_errors_fatal, max_fail_percentage). */
export function mayContinue(pc: PlayCtx): boolean {
  return !pc.run.state.stopped && !pc.run.opts.signal?.aborted && !pc.playEnded;
}

/**
 * A task's id in events: `<play>.<node>` (`.<n>` for the n-th run of the node in a batch). The same task has
 * the same id in every serial batch and in plan and run, so the planner can line them up.
 */
export function taskIdFor(pc: PlayCtx, node: object): string {
  let id = pc.nodeIds.get(node);
  if (id === undefined) {
    id = pc.nodeIds.size;
    pc.nodeIds.set(node, id);
  }
  const n = (pc.runs.get(id) ?? 0) + 1;
  pc.runs.set(id, n);
  return n === 1 ? `${pc.playSeq}.${id}` : `${pc.playSeq}.${id}.${n}`;
}
