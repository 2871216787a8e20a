import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { applyOperation } from '../modules/apply.js';
import type { ControlAction, FileDiff, ModuleContext, ModuleDef, ModuleResult, Operation } from '../modules/types.js';
import type { ActionTask } from '../playbook/types.js';
import { UnknownValueError, evalCondition, renderValue } from '../vars/index.js';
import { checkArgs, dropOmitted, variableParams } from './args.js';
import type { PlayCtx } from './context.js';
import type { PlannedStep } from './events.js';
import { type Frame, type WhenFalse, whenFalse, whenSkippedResult } from './frame.js';
import type { PlanReason } from '../plan-types.js';
import type { Status } from '../status.js';
import { unplannedSteps } from './expect.js';
import { hostVars } from './host-vars.js';
import { OfflineError, OfflineGuard, isInterrupted, isUnreachableError, lazyConnection, sleep } from './lazy-conn.js';
import { NO_LOG_TEXT, plannedStep } from './output.js';
import { applyResultConditions, planOutcome } from './result.js';
import { isLocal, localConnection, renderEnv, withRemoteUser } from './item-target.js';
import { type TaskTimer, numberKeyword, taskTimer, timedOutResult } from './task-timer.js';
import { asyncOf, asyncTimedOut, backgroundOp } from './async-task.js';
import { offlineIntent } from './offline-intent.js';

/** One run of a task's module on one host for one loop item (or the only run, without a loop). */
export interface ItemInput {
  pc: PlayCtx;
  task: ActionTask;
  /** The task's frame (its own settings merged in). */
  frame: Frame;
  host: string;
  vars: Vars;
  def: ModuleDef;
  taskName: string;
  taskId: string;
  /** The loop item's label (apply: to find the plan's entry). */
  label?: unknown;
}

export interface ItemOutcome {
  status: Status;
  result: ModuleResult;
  /** Plan mode: whether `result` is what the run will register (read-only modules) or a guess. */
  known: boolean;
  reason?: PlanReason;
  steps: PlannedStep[];
  destructive: string[];
  diff?: FileDiff[];
  notes?: string[];
  delegatedTo?: string;
  control?: ControlAction;
  durationMs: number;
}

const LOCALHOST = new Set(['localhost', '127.0.0.1', '::1']);

/** The outcome of a task (or a loop item) on a host that a false `when` skips. */
export function whenSkipped(reason: WhenFalse, durationMs: number): ItemOutcome {
  return { status: 'skipped', result: whenSkippedResult(reason), known: true, reason, steps: [], destructive: [], durationMs };
}

export async function runItem(inp: ItemInput): Promise<ItemOutcome> {
  const t0 = performance.now();
  const { pc, task, frame, host, vars } = inp;
  const run = pc.run;
  const where = { src: task.src, host, task: inp.taskName };
  const base = (): Omit<ItemOutcome, 'status' | 'result'> => ({
    known: true,
    steps: [],
    destructive: [],
    durationMs: performance.now() - t0,
  });
  let delegatedTo: string | undefined;
  // `timeout:` — one clock per attempt of the module (Ansible: templating and looping are not counted)
  let timeoutS = 0;
  // `async: N` with a poll: the same clock, failing with Ansible's async message
  let asyncS = 0;
  const timedOut = (partial?: ModuleResult): ModuleResult => (asyncS ? asyncTimedOut(asyncS, partial) : timedOutResult(timeoutS, task.module, partial));
  let timer: TaskTimer | undefined;
  // the module's arguments, rendered and checked: what an offline plan shows of a module it could not run
  let checkedArgs: Record<string, unknown> | undefined;
  const arm = (): { signal?: AbortSignal } => {
    timer?.done();
    timer = taskTimer(timeoutS, run.opts.signal);
    return timer.signal ? { signal: timer.signal } : {};
  };
  try {
    const unmet = whenFalse(frame, vars, where);
    if (unmet) return whenSkipped(unmet, performance.now() - t0);
    if (frame.delegateTo !== undefined) {
      delegatedTo = String(renderValue(frame.delegateTo, vars, { ...where, field: 'delegate_to' }));
      if (!run.opts.inventory.hosts.has(delegatedTo) && !LOCALHOST.has(delegatedTo)) {
        throw new LifeboatError('E_PATTERN', `delegate_to: "${delegatedTo}" is not an inventory host`, {
          ...where,
          hint: 'delegate to a host of the inventory, or to localhost',
        });
      }
    }
    const omit = typeof vars.omit === 'string' ? vars.omit : undefined;
    const rendered = renderValue(task.args, vars, { ...where, field: 'arguments' });
    const args = variableParams(inp.def, dropOmitted(rendered, omit) as Record<string, unknown>, where);
    checkArgs(inp.def, args, where);
    checkedArgs = args;
    timeoutS = numberKeyword(frame.timeout, 0, vars, where, 'timeout');
    const asyncSpec = asyncOf(task, vars, where);
    if (asyncSpec && asyncSpec.poll > 0) {
      asyncS = timeoutS > 0 && timeoutS < asyncSpec.seconds ? 0 : asyncSpec.seconds;
      timeoutS = asyncS || timeoutS;
    }
    const background = asyncSpec?.poll === 0 ? asyncSpec.seconds : undefined;
    const planOp = async (c: ModuleContext): Promise<Operation> => {
      const op = await inp.def.plan(c);
      return background === undefined ? op : backgroundOp(op, task.module, background, where);
    };
    // become / no_log templates were rendered for this host before the item ran (flags.ts).
    const become = frame.become === undefined ? vars.ansible_become === true : frame.become === true;
    const becomeUser =
      frame.becomeUser ?? (typeof vars.ansible_become_user === 'string' ? vars.ansible_become_user : undefined);
    const env = renderEnv(frame, vars, where);
    const target = delegatedTo ?? host;
    const offline = run.opts.check && run.opts.offline === true ? new OfflineGuard() : undefined;
    const local = isLocal(frame.connection, vars, where);
    // The connection variables (ansible_host, ansible_user, …) are rendered lazily, in the target's own variables.
    const remoteUser = frame.remoteUser === undefined ? undefined : String(renderValue(frame.remoteUser, vars, { ...where, field: 'remote_user' }));
    const varsOf = (h: string): Vars => withRemoteUser(h === host ? vars : hostVars(pc, h, undefined), remoteUser);
    // connection: local — the task runs on the controller, with the host's vars (Ansible's local connection).
    const conn = local ? localConnection(target, vars) : lazyConnection(run.opts.connections, target, offline, () => varsOf(target));
    const checkOnly = run.opts.check || frame.checkMode === true;
    const ctx: ModuleContext = {
      host,
      args,
      vars,
      conn,
      check: checkOnly,
      become,
      playbookDir: pc.playbook.dir,
      ...(frame.role ? { roleDir: frame.role.path } : {}),
      connect: (h: string) => (offline ? offline.refuse(h) : run.opts.connections.get(h, varsOf(h))),
      ...(run.opts.signal ? { signal: run.opts.signal } : {}),
    };
    const stepsOf = (op: Operation): PlannedStep[] =>
      op.steps.map((s) => plannedStep(s, run.secrets, frame.noLog === true, become));
    const extras = (op: Operation) => ({
      steps: stepsOf(op),
      destructive: op.steps.flatMap((s) => ('destructive' in s && s.destructive ? [s.destructive] : [])),
      ...(op.diff && run.opts.diff ? { diff: op.diff } : {}),
      ...(op.notes?.length ? { notes: op.notes } : {}),
      ...(delegatedTo ? { delegatedTo } : {}),
      ...(op.control ? { control: op.control } : {}),
    });

    if (run.opts.check) {
      const earlier = run.state.plannedOn(target);
      const op = await planOp({ ...ctx, ...arm(), earlierSteps: [...earlier] });
      if (timer?.fired()) return { ...base(), ...extras(op), status: 'failed', result: timedOut() };
      // The module looked at a host an offline plan does not reach: whatever it concluded is a guess.
      if (offline?.refused) throw new OfflineError(target);
      const p = planOutcome(op, task, vars, where);
      if (p.status !== 'failed') earlier.push(...op.steps);
      return { ...base(), ...extras(op), ...p };
    }

    const retries = task.until === undefined ? 0 : numberKeyword(task.retries, 3, vars, where, 'retries');
    const delay = task.until === undefined ? 0 : numberKeyword(task.delay, 5, vars, where, 'delay');
    const total = Math.max(1, retries + 1);
    for (let attempt = 1; ; attempt++) {
      const sig = arm();
      const op = await planOp({ ...ctx, ...sig });
      let result: ModuleResult;
      if (checkOnly) result = { ...(op.result ?? {}), changed: op.changed === true };
      else {
        const shownItem =
          inp.label === undefined ? undefined : frame.noLog ? NO_LOG_TEXT : run.secrets.maskDeep(inp.label);
        const stale = unplannedSteps(pc, inp.taskId, host, shownItem, stepsOf(op));
        if (stale !== undefined) {
          run.state.stale = true;
          run.state.stopped = true;
          run.emit({ type: 'warning', msg: `plan stale: ${stale}; nothing more starts`, host });
          return {
            ...base(),
            ...extras(op),
            status: 'failed',
            result: { changed: false, failed: true, msg: `plan stale: ${stale}` },
          };
        }
        result = await applyOperation(op, conn, {
          become,
          secrets: run.secrets,
          ...(becomeUser !== undefined ? { becomeUser } : {}),
          ...(env ? { env } : {}),
          ...sig,
        });
      }
      if (timer?.fired()) return { ...base(), ...extras(op), status: 'failed', result: timedOut(result) };
      // a hint (or its clearing) counts once its steps ran: a lock that was not taken leaves nothing to resume
      if (op.resume !== undefined && !checkOnly && !result.failed) run.state.resume = op.resume ?? undefined;
      if (run.opts.signal?.aborted && !checkOnly) {
        return {
          ...base(),
          ...extras(op),
          status: 'interrupted',
          result: { ...result, failed: true, msg: 'interrupted' },
        };
      }
      applyResultConditions(result, task, vars, where);
      if (task.until !== undefined) {
        result.attempts = attempt;
        const scope = task.register ? { ...vars, [task.register]: result } : vars;
        const done = evalCondition(task.until, scope, { ...where, field: 'until' });
        if (!done && attempt < total && !run.opts.signal?.aborted) {
          await sleep(delay * 1000, run.opts.signal);
          continue;
        }
        if (!done) {
          result.failed = true;
          result.msg = `Retries exhausted: "until: ${task.until}" still false after ${attempt} attempts${result.msg ? ` (${result.msg})` : ''}`;
        }
      }
      const status: Status = result.failed
        ? 'failed'
        : result.skipped
          ? 'skipped'
          : result.changed
            ? 'changed'
            : 'ok';
      return { ...base(), ...extras(op), status, result };
    }
  } catch (e) {
    const out = { ...base(), ...(delegatedTo ? { delegatedTo } : {}) };
    if (timer?.fired()) return { ...out, status: 'failed', result: timedOut() };
    if (e instanceof OfflineError) {
      const intent = checkedArgs && offlineIntent(task.module, checkedArgs, run.secrets, frame.noLog === true);
      return {
        ...out,
        status: 'unknown',
        known: false,
        reason: { kind: 'offline' },
        result: { changed: false },
        ...(intent ? { notes: intent.notes, destructive: intent.destructive } : {}),
      };
    }
    if (e instanceof UnknownValueError && run.opts.check) {
      const reason: PlanReason = { kind: 'unknown-value', variable: e.variable, source: e.variable.startsWith('ansible_') ? 'fact' : 'register' };
      return { ...out, status: 'unknown', known: false, reason, result: { changed: false } };
    }
    if (isInterrupted(e, run.opts.signal))
      return { ...out, status: 'interrupted', result: { changed: false, failed: true, msg: 'interrupted' } };
    // a module's argument error (thrown by its plan(), which knows the host only) names the task and its place too
    const err = e instanceof LifeboatError && e.code === 'E_MODULE' && !e.src ? new LifeboatError(e.code, e.message, { ...where, host: e.host ?? where.host, ...(e.hint ? { hint: e.hint } : {}) }) : e;
    const msg = err instanceof LifeboatError ? err.format() : err instanceof Error ? err.message : String(err);
    if (isUnreachableError(e))
      return { ...out, status: 'unreachable', result: { changed: false, unreachable: true, msg } };
    return { ...out, status: 'failed', result: { changed: false, failed: true, msg } };
  } finally {
    timer?.done();
  }
}
