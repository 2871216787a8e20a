import type { Vars } from '../inventory/types.js';
import type { ModuleResult, Operation } from '../modules/types.js';
import type { PlanReason } from '../plan-types.js';
import type { OperationStatus } from '../status.js';
import type { ActionTask } from '../playbook/types.js';
import { type TaskWhere as Where, UnknownValueError, evalCondition, makeUnknown } from '../vars/index.js';


/** `changed_when` then `failed_when`, with the task's `register` name bound to the result (as Ansible). */
export function applyResultConditions(result: ModuleResult, task: ActionTask, vars: Vars, where: Where): void {
  if (!task.changedWhen?.length && !task.failedWhen?.length) return;
  const scope = task.register ? { ...vars, [task.register]: result } : vars;
  if (task.changedWhen?.length) {
    result.changed = task.changedWhen.some((c) => evalCondition(c, scope, { ...where, field: 'changed_when' }));
  }
  if (task.failedWhen?.length) {
    const failed = task.failedWhen.some((c) => evalCondition(c, scope, { ...where, field: 'failed_when' }));
    result.failed_when_result = failed;
    result.failed = failed;
    if (!failed) delete result.msg;
  }
}

export interface PlanPart {
  status: OperationStatus;
  result: ModuleResult;
  known: boolean;
  reason?: PlanReason;
}

/**
 * Plan mode: what the run would do, from the Operation alone. The result is known only when no step would
 * run and the module gave a result (read-only modules such as stat); otherwise the register is unknown and
 * templates reading it say so. changed_when / failed_when are applied when they can be evaluated.
 */
export function planOutcome(op: Operation, task: ActionTask, vars: Vars, where: Where): PlanPart {
  const known = op.steps.length === 0 && op.result !== undefined;
  let status: OperationStatus = op.changed === 'unknown' ? 'unknown' : op.changed ? 'changed' : 'ok';
  let reason: PlanReason | undefined = status === 'unknown' ? { kind: 'cannot-tell' } : undefined;
  const result: ModuleResult = known
    ? { ...op.result, changed: op.result?.changed ?? op.changed === true }
    : { changed: op.changed === true };
  if (known && result.failed) status = 'failed';
  const bound = task.register ? { ...vars, [task.register]: known ? result : makeUnknown(task.register) } : vars;
  try {
    if (task.changedWhen?.length && status !== 'failed') {
      const changed = task.changedWhen.some((c) => evalCondition(c, bound, { ...where, field: 'changed_when' }));
      status = changed ? 'changed' : 'ok';
      result.changed = changed;
      reason = undefined;
    }
  } catch (e) {
    if (!(e instanceof UnknownValueError)) throw e;
    status = 'unknown';
    reason = { kind: 'unknown-value', variable: e.variable, source: 'register', in: 'changed_when' };
  }
  try {
    if (task.failedWhen?.length) {
      const failed = task.failedWhen.some((c) => evalCondition(c, bound, { ...where, field: 'failed_when' }));
      if (failed) status = 'failed';
      else if (known && status === 'failed') status = result.changed ? 'changed' : 'ok';
      result.failed = failed;
    }
  } catch (e) {
    if (!(e instanceof UnknownValueError)) throw e;
    if (status !== 'unknown') {
      status = 'unknown';
      reason = { kind: 'unknown-value', variable: e.variable, source: 'register', in: 'failed_when' };
    }
  }
  return { status, result, known, ...(reason ? { reason } : {}) };
}
