import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { ControlAction, ModuleDef, ModuleResult } from '../modules/types.js';
import type { ActionTask } from '../playbook/types.js';
import { type TaskWhere, UnknownValueError, evalCondition, renderValue, withDataVars } from '../vars/index.js';
import type { EventBody, PlayCtx } from './context.js';
import { type Frame, type WhenFalse, whenFalse } from './frame.js';
import { type EventTarget, planEvent, resultEvent } from './host-events.js';
import { resolveFlags } from './flags.js';
import { hostVars } from './host-vars.js';
import { type ItemOutcome, runItem, whenSkipped } from './item.js';
import type { Status } from '../status.js';
import { sleep } from './lazy-conn.js';
import { renderLoop } from './loop.js';

/** A task's outcome on one host: all loop items together, Ansible-shaped for `register`. */
export interface HostOutcome {
  host: string;
  status: Status;
  ignored: boolean;
  result: ModuleResult;
  /** Plan mode: the result is what the run will register. */
  known: boolean;
  control?: ControlAction;
  /** host_result / host_plan events, in order (loop items first). */
  events: EventBody[];
  /** The last item's outcome (for run_once copies and plan steps). */
  last?: ItemOutcome;
}

export interface HostTaskInput {
  pc: PlayCtx;
  task: ActionTask;
  frame: Frame;
  def: ModuleDef;
  taskId: string;
  taskName: string;
  host: string;
  /** rescue: ansible_failed_task / ansible_failed_result. */
  top?: Vars;
}

export async function runHostTask(inp: HostTaskInput): Promise<HostOutcome> {
  const { pc, task, host } = inp;
  const check = pc.run.opts.check;
  const where = { src: task.src, host, task: inp.taskName };
  const vars0 = hostVars(pc, host, inp.frame, { ...(Object.keys(task.vars).length ? { taskVars: task.vars } : {}), ...(inp.top ? { top: inp.top } : {}) });
  let frame = inp.frame;
  try {
    frame = resolveFlags(inp.frame, vars0, where);
  } catch (e) {
    const msg = e instanceof LifeboatError ? e.format() : String(e);
    const o: ItemOutcome = { status: 'failed', result: { changed: false, failed: true, msg }, known: true, steps: [], destructive: [], durationMs: 0 };
    const t: EventTarget = { pc, taskId: inp.taskId, taskName: inp.taskName, host, noLog: false };
    return finish(inp, 'failed', o.result, true, [eventOf(t, o, undefined, check)], o);
  }
  const noLog = frame.noLog === true;
  const target: EventTarget = { pc, taskId: inp.taskId, taskName: inp.taskName, host, noLog };
  const itemInput = { pc, task, frame, host, def: inp.def, taskName: inp.taskName, taskId: inp.taskId };

  if (task.loop === undefined) {
    const o = await runItem({ ...itemInput, vars: vars0 });
    return finish(inp, o.status, o.result, o.known, [eventOf(target, o, undefined, check)], o);
  }

  let items: unknown[];
  try {
    items = loopItems(task.loop, vars0, where);
  } catch (e) {
    // A false `when` that guards the loop expression skips the task, as it would without the loop.
    const unmet = whenFalseOrUndefined(frame, vars0, where);
    if (unmet) {
      const o = whenSkipped(unmet, 0);
      return finish(inp, 'skipped', o.result, true, [eventOf(target, o, undefined, check)], o);
    }
    const unknown = e instanceof UnknownValueError && check;
    const msg = e instanceof LifeboatError ? e.format() : String(e);
    const failed: ItemOutcome = {
      status: unknown ? 'unknown' : 'failed',
      result: unknown ? { changed: false } : { changed: false, failed: true, msg },
      known: !unknown,
      steps: [],
      destructive: [],
      durationMs: 0,
      ...(unknown ? { reason: { kind: 'unknown-value', variable: (e as UnknownValueError).variable, source: 'register', in: 'loop' } } : {}),
    };
    return finish(inp, failed.status, failed.result, failed.known, [eventOf(target, failed, undefined, check)], failed);
  }

  const lc = task.loopControl;
  const loopVar = lc?.loopVar ?? 'item';
  const outcomes: ItemOutcome[] = [];
  const events: EventBody[] = [];
  const results: ModuleResult[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && lc?.pause) await sleep(lc.pause * 1000, pc.run.opts.signal);
    if (pc.run.opts.signal?.aborted) break;
    const item = items[i];
    const top: Vars = {
      [loopVar]: item,
      ansible_loop_var: loopVar,
      ansible_loop: { index: i + 1, index0: i, first: i === 0, last: i === items.length - 1, length: items.length },
      ...(lc?.indexVar ? { [lc.indexVar]: i } : {}),
    };
    // Loop variables are data (already rendered with the loop): an item holding `{{` stays text.
    const vars = withDataVars(vars0, top);
    let label: unknown = item;
    if (lc?.label !== undefined) {
      try {
        label = renderValue(lc.label, vars, { ...where, field: 'loop_control.label' });
      } catch {
        label = lc.label;
      }
    }
    const o = await runItem({ ...itemInput, vars, label });
    outcomes.push(o);
    events.push(eventOf(target, o, label, check));
    results.push({ ...o.result, item, ansible_loop_var: loopVar, ...(lc?.indexVar ? { [lc.indexVar]: i } : {}) });
    if (o.status === 'unreachable' || o.status === 'interrupted') break;
  }
  const status = aggregate(outcomes.map((o) => o.status));
  const anyFailed = outcomes.some((o) => o.status === 'failed');
  const result: ModuleResult = {
    changed: outcomes.some((o) => o.result.changed === true),
    msg: items.length === 0 ? 'No items in the list' : anyFailed ? 'One or more items failed' : 'All items completed',
    results,
    ...(anyFailed ? { failed: true } : {}),
    ...(status === 'skipped' ? { skipped: true } : {}),
  };
  const known = outcomes.every((o) => o.known);
  const durationMs = outcomes.reduce((s, o) => s + o.durationMs, 0);
  if (!check) events.push(resultEvent(target, status, result, { durationMs, ignored: false }));
  const last = outcomes[outcomes.length - 1];
  return finish(inp, status, result, known, events, last, true);
}

function loopItems(loop: unknown, vars: Vars, where: TaskWhere): unknown[] {
  const v = renderLoop(loop, vars, where);
  if (Array.isArray(v)) return v;
  throw new LifeboatError('E_TEMPLATE', `loop: expected a list, got ${v === null ? 'null' : typeof v}`, {
    ...where,
    hint: 'give loop a list, or an expression that makes one (e.g. "{{ groups.etcd }}", "{{ d | dict2items }}")',
  });
}

/** The loop guard: a `when` that cannot be evaluated either leaves the loop's own error to be reported. */
function whenFalseOrUndefined(frame: Frame, vars: Vars, where: TaskWhere): WhenFalse | undefined {
  try {
    return whenFalse(frame, vars, where);
  } catch {
    return undefined;
  }
}

function aggregate(statuses: Status[]): Status {
  const order: Status[] = ['interrupted', 'unreachable', 'failed', 'unknown', 'changed', 'ok'];
  for (const s of order) if (statuses.includes(s)) return s;
  return 'skipped';
}

function eventOf(t: EventTarget, o: ItemOutcome, item: unknown, check: boolean): EventBody {
  if (check) return planEvent(t, o, item !== undefined ? { item } : {});
  return resultEvent(t, o.status, o.result, {
    durationMs: o.durationMs,
    ...(item !== undefined ? { item } : {}),
    ...(o.delegatedTo ? { delegatedTo: o.delegatedTo } : {}),
    steps: o.steps,
  });
}

/** ignore_errors / ignore_unreachable (which may be templated), then the outcome. */
function finish(
  inp: HostTaskInput,
  status: Status,
  result: ModuleResult,
  known: boolean,
  events: EventBody[],
  last: ItemOutcome | undefined,
  aggregated = false,
): HostOutcome {
  let ignored = false;
  const f = inp.frame;
  if (status === 'failed' && f.ignoreErrors !== undefined) ignored = truthy(f.ignoreErrors, inp);
  if (status === 'unreachable' && f.ignoreUnreachable) ignored = true;
  if (ignored) {
    const lastEv = events[events.length - 1];
    if (lastEv && lastEv.type === 'host_result' && (aggregated || events.length === 1)) lastEv.ignored = true;
  }
  return {
    host: inp.host,
    status,
    ignored,
    result,
    known,
    events,
    ...(last?.control ? { control: last.control } : {}),
    ...(last ? { last } : {}),
  };
}

function truthy(v: boolean | string, inp: HostTaskInput): boolean {
  if (typeof v === 'boolean') return v;
  try {
    return evalCondition(v, hostVars(inp.pc, inp.host, inp.frame), { src: inp.task.src, host: inp.host, task: inp.taskName, field: 'ignore_errors' });
  } catch {
    return false;
  }
}
