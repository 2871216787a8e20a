import type { SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { ModuleResult } from '../modules/types.js';
import { type PlanReason, reasonString } from '../plan-types.js';
import type { TaskCommon } from '../playbook/types.js';
import { evalCondition, type TaskWhere } from '../vars/index.js';

/** Settings where the innermost block, include or task that sets one wins (the task's own TaskCommon fields). */
const SCALARS = [
  'become',
  'becomeUser',
  'remoteUser',
  'ignoreErrors',
  'ignoreUnreachable',
  'delegateTo',
  'delegateFacts',
  'connection',
  'throttle',
  'timeout',
  'runOnce',
  'noLog',
  'checkMode',
  'anyErrorsFatal',
  'role',
] as const;

/**
 * What a task inherits from the blocks, roles and includes around it (and the play). Scalars: the innermost
 * setting wins. Conditions, tags, vars and environments accumulate, outermost first.
 */
export interface Frame extends Pick<TaskCommon, (typeof SCALARS)[number]> {
  whens: Array<{ expr: string; src: SourceRef }>;
  tags: ReadonlySet<string>;
  /** Block vars, outermost first. */
  vars: Vars[];
  /** include_tasks / include_role parameters, outermost first. */
  params: Vars[];
  /** Mappings, or templates giving one (rendered per host), outermost first. */
  environment: Array<Record<string, unknown> | string>;
}

type Flag = boolean | string;
type EnvValue = Record<string, unknown> | string;

const hasEnv = (e: EnvValue | undefined): e is EnvValue => (typeof e === 'string' ? e !== '' : !!e && Object.keys(e).length > 0);

/** The play's settings, inherited by every task: play-level run_once / no_log apply to each task, as in Ansible. */
export function rootFrame(play: { tags: string[]; become?: Flag; becomeUser?: string; remoteUser?: string; anyErrorsFatal: Flag; runOnce?: Flag; noLog?: Flag; connection?: string; timeout?: number | string; environment: EnvValue }): Frame {
  return {
    whens: [],
    tags: new Set(play.tags),
    vars: [],
    params: [],
    environment: hasEnv(play.environment) ? [play.environment] : [],
    ...(play.become !== undefined ? { become: play.become } : {}),
    ...(play.becomeUser !== undefined ? { becomeUser: play.becomeUser } : {}),
    ...(play.remoteUser !== undefined ? { remoteUser: play.remoteUser } : {}),
    ...(play.anyErrorsFatal !== false ? { anyErrorsFatal: play.anyErrorsFatal } : {}),
    ...(play.runOnce !== undefined ? { runOnce: play.runOnce } : {}),
    ...(play.noLog !== undefined ? { noLog: play.noLog } : {}),
    ...(play.connection !== undefined ? { connection: play.connection } : {}),
    ...(play.timeout !== undefined ? { timeout: play.timeout } : {}),
  };
}

/** The frame inside `node` (a block, an include, or a task itself). */
export function childFrame(parent: Frame, node: TaskCommon, params?: Vars): Frame {
  const f: Frame = {
    ...parent,
    whens: node.when.length ? [...parent.whens, ...node.when.map((expr) => ({ expr, src: node.src }))] : parent.whens,
    tags: node.tags.length ? new Set([...parent.tags, ...node.tags]) : parent.tags,
    vars: Object.keys(node.vars).length ? [...parent.vars, node.vars] : parent.vars,
    params: params && Object.keys(params).length ? [...parent.params, params] : parent.params,
    environment: hasEnv(node.environment) ? [...parent.environment, node.environment] : parent.environment,
  };
  for (const k of SCALARS) if (node[k] !== undefined) (f as unknown as Record<string, unknown>)[k] = node[k];
  return f;
}

/** Why a task or an include is skipped: its first false `when` condition. */
export type WhenFalse = Extract<PlanReason, { kind: 'when-false' }>;

/**
 * The one place `when` is evaluated (a task on a host or loop item, the guard of a task's loop, an include on a
 * host): the frame's conditions in order (outer blocks and includes first, the task's own last), each with the
 * position of the node that wrote it. Gives the skip reason naming the first false one, or undefined when all
 * hold; throws what evalCondition throws (an undefined variable, a bad expression: `field: 'when'` at that
 * position).
 */
export function whenFalse(frame: Frame, vars: Vars, where: TaskWhere): WhenFalse | undefined {
  for (const w of frame.whens) if (!evalCondition(w.expr, vars, { ...where, src: w.src, field: 'when' })) return { kind: 'when-false', expr: w.expr };
  return undefined;
}

/** What a false `when` leaves as the result (and `register`): Ansible's `{changed: false, skipped: true, skip_reason}`. */
export function whenSkippedResult(reason: WhenFalse): ModuleResult & { skip_reason: string } {
  return { changed: false, skipped: true, skip_reason: reasonString(reason) };
}
