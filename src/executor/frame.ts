import type { SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { TaskCommon } from '../playbook/types.js';
import { evalCondition, type TaskWhere } from '../vars/index.js';

/** Settings where the innermost block, include or task that sets one wins (the task's own TaskCommon fields). */
const SCALARS = [
  'become',
  'becomeUser',
  'ignoreErrors',
  'ignoreUnreachable',
  'delegateTo',
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
  environment: Array<Record<string, unknown>>;
}

export function rootFrame(play: { tags: string[]; become?: boolean; becomeUser?: string; anyErrorsFatal: boolean; environment: Record<string, unknown> }): Frame {
  return {
    whens: [],
    tags: new Set(play.tags),
    vars: [],
    params: [],
    environment: Object.keys(play.environment).length ? [play.environment] : [],
    ...(play.become !== undefined ? { become: play.become } : {}),
    ...(play.becomeUser !== undefined ? { becomeUser: play.becomeUser } : {}),
    ...(play.anyErrorsFatal ? { anyErrorsFatal: true } : {}),
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
    environment:
      node.environment && Object.keys(node.environment).length
        ? [...parent.environment, node.environment]
        : parent.environment,
  };
  for (const k of SCALARS) if (node[k] !== undefined) (f as unknown as Record<string, unknown>)[k] = node[k];
  return f;
}

/**
 * The one place `when` is evaluated: the first of the frame's conditions (outer blocks and includes first, the
 * task's own last) that is false for `vars`, or undefined when all hold. Throws what evalCondition throws.
 */
export function falseWhen(frame: Frame, vars: Vars, where: TaskWhere): string | undefined {
  for (const w of frame.whens) if (!evalCondition(w.expr, vars, { ...where, src: w.src, field: 'when' })) return w.expr;
  return undefined;
}

/** Ansible's skip reason for a false `when`. */
export function whenSkipReason(expr: string): string {
  return `Conditional result was False: ${expr}`;
}
