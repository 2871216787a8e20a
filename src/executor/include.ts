import { renderLoop } from './loop.js';
import { fatalFor } from './flags.js';
import { LifeboatError, LifeboatErrors } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { loadRole, loadTasksFile } from '../playbook/index.js';
import type { IncludeTask, RoleRef, TaskNode } from '../playbook/types.js';
import { UnknownValueError, makeUnknown, renderValue, withDataVars } from '../vars/index.js';
import { type EventBody, type PlayCtx, isHostActive, taskIdFor } from './context.js';
import { type Frame, type WhenFalse, childFrame, whenFalse, whenSkippedResult } from './frame.js';
import { type PlanReason, reasonString } from '../plan-types.js';
import { PLAN_STATUS, type Status, runStatus } from '../status.js';
import { hostVars } from './host-vars.js';
import { type Scope, checkMaxFail, hostFailed } from './scope.js';
import { taskLabel } from './task-name.js';
import { runNodes } from './walk.js';

/** One thing a host includes: a file (or role) with its parameters (loop variable included). */
interface Inclusion {
  target: string;
  params: Vars;
  hosts: string[];
}

type Decision =
  | { kind: 'skip'; reason: WhenFalse }
  | { kind: 'unknown'; reason: PlanReason }
  | { kind: 'fail'; msg: string }
  | { kind: 'include'; items: Array<{ target: string; params: Vars }>; looped: boolean; loopVar: string };

/** The include's `*_from` arguments, as Ansible's `include_args` shows them. */
const fromArgs = (inc: IncludeTask): Vars => Object.fromEntries(Object.entries(inc.from ?? {}).map(([k, v]) => [`${k}_from`, v]));

/**
 * include_tasks / include_role at run time: decided per host (when, loop, templated name), then hosts that
 * include the same file with the same parameters walk it together. Included tasks inherit the include's
 * keywords (tags, when, become, …), as imported ones do.
 */
export async function runInclude(pc: PlayCtx, inc: IncludeTask, parent: Frame, hosts: string[], scope: Scope | undefined, rescuing: boolean): Promise<void> {
  const run = pc.run;
  const frame = childFrame(parent, inc);
  const live = hosts.filter((h) => isHostActive(pc, h));
  if (live.length === 0) return;
  const label = taskLabel(pc, inc, live[0] as string);
  const taskId = taskIdFor(pc, inc);
  const show = run.state.started;
  if (show) run.emit({ type: 'task_start', play: pc.play.name, task: label, taskId, file: inc.src.file, line: inc.src.line, hosts: live });
  const t0 = performance.now();
  const groups: Inclusion[] = [];
  for (const host of live) {
    const d = decide(pc, inc, frame, host, label);
    // Before --start-at-task's task is reached, an include is only looked into (for the task): no result.
    if (show) emitDecision(pc, d, taskId, label, host);
    if (show && inc.register) run.state.hostRegistered(host)[inc.register] = includeResult(inc, d);
    if (d.kind !== 'include') {
      if (show && d.kind === 'fail') fail(pc, host, label, d.msg, scope, frame);
      else if (show) run.state.count(host, d.kind === 'skip' ? 'skipped' : 'ok');
    } else {
      if (show) run.state.count(host, 'ok');
      for (const it of d.items) {
        const key = JSON.stringify([it.target, it.params]);
        const g = groups.find((x) => JSON.stringify([x.target, x.params]) === key);
        if (g) g.hosts.push(host);
        else groups.push({ ...it, hosts: [host] });
      }
    }
  }
  if (show) run.emit({ type: 'task_end', taskId, task: label, durationMs: Math.round(performance.now() - t0) });
  checkMaxFail(pc);
  for (const g of groups) {
    let nodes: TaskNode[];
    let role: RoleRef | undefined;
    try {
      const key = JSON.stringify([inc.what, inc.baseDir, g.target, inc.what === 'role' ? g.params : null, frame.role?.path ?? null]);
      let loading = pc.includes.get(key);
      if (!loading) {
        loading = load(pc, inc, g, frame);
        pc.includes.set(key, loading);
      }
      ({ nodes, role } = await loading);
    } catch (e) {
      const msg = e instanceof LifeboatErrors || e instanceof LifeboatError ? e.message : String(e);
      for (const h of g.hosts) fail(pc, h, label, msg, scope, frame);
      continue;
    }
    // The include's own `when` was decided above; its other keywords (tags, become, vars…) carry on.
    const outer = childFrame(parent, { ...inc, when: [] }, g.params);
    // `apply:` — keywords applied to each included task, as a block around them (its `when` per task)
    const inner = inc.apply ? childFrame(outer, inc.apply) : outer;
    await runNodes(pc, nodes, role ? { ...inner, role } : inner, g.hosts, scope, rescuing);
  }
}

function decide(pc: PlayCtx, inc: IncludeTask, frame: Frame, host: string, label: string): Decision {
  const vars = hostVars(pc, host, frame);
  const where = { src: inc.src, host, task: label };
  try {
    const unmet = whenFalse(frame, vars, where);
    if (unmet) return { kind: 'skip', reason: unmet };
    const one = (v: Vars): { target: string; params: Vars } => ({
      target: String(renderValue(inc.target, v, { ...where, field: `include_${inc.what}` })),
      params: renderValue(inc.params, v, { ...where, field: 'vars' }) as Vars,
    });
    const loopVar = inc.loopControl?.loopVar ?? 'item';
    if (inc.loop === undefined) return { kind: 'include', items: [one(vars)], looped: false, loopVar };
    const items = renderLoop(inc.loop, vars, where);
    if (!Array.isArray(items)) return { kind: 'fail', msg: `loop: expected a list, got ${typeof items}` };
    return {
      kind: 'include',
      looped: true,
      loopVar,
      items: items.map((item, i) => {
        const top: Vars = { [loopVar]: item, ansible_loop_var: loopVar, ...(inc.loopControl?.indexVar ? { [inc.loopControl.indexVar]: i } : {}) };
        const r = one(withDataVars(vars, top));
        return { target: r.target, params: { ...r.params, ...top } };
      }),
    };
  } catch (e) {
    if (e instanceof UnknownValueError && pc.run.opts.check) return { kind: 'unknown', reason: { kind: 'unknown-value', variable: e.variable, source: 'register' } };
    return { kind: 'fail', msg: e instanceof LifeboatError ? e.format() : String(e) };
  }
}

async function load(pc: PlayCtx, inc: IncludeTask, g: Inclusion, frame: Frame): Promise<{ nodes: TaskNode[]; role?: RoleRef }> {
  const opts = {
    playbookDir: pc.playbook.dir,
    ...(pc.run.opts.rolesPath ? { rolesPath: pc.run.opts.rolesPath } : {}),
  };
  if (inc.what === 'tasks') {
    return { nodes: await loadTasksFile(g.target, { ...opts, baseDir: inc.baseDir, ...(frame.role ? { role: frame.role } : {}) }) };
  }
  const got = await loadRole(g.target, { ...opts, params: g.params, src: inc.src, ...(inc.from ? { from: inc.from } : {}) });
  for (const h of got.handlers) if (h.kind === 'action' && !pc.extraHandlers.includes(h)) pc.extraHandlers.push(h);
  return { nodes: got.tasks, role: got.role };
}

function emitDecision(pc: PlayCtx, d: Decision, taskId: string, task: string, host: string): void {
  const what = d.kind === 'include' ? d.items.map((i) => i.target).join(', ') : '';
  let ev: EventBody;
  const why: PlanReason | undefined = d.kind === 'include' ? undefined : d.kind === 'fail' ? { kind: 'failed', message: d.msg } : d.reason;
  const status: Status = d.kind === 'include' ? 'ok' : d.kind === 'skip' ? 'skipped' : d.kind === 'unknown' ? 'unknown' : 'failed';
  if (pc.run.opts.check) {
    ev = {
      type: 'host_plan', play: pc.play.name, taskId, task, host, batchIndex: pc.batchIndex, status: PLAN_STATUS[status], steps: [], destructive: [],
      ...(why ? { reason: reasonString(why), why } : { notes: [`includes ${what}`] }),
    };
  } else {
    ev = {
      type: 'host_result', taskId, task, host, changed: false, durationMs: 0,
      status: runStatus(status),
      msg: d.kind === 'include' ? `included: ${what}` : d.kind === 'fail' ? d.msg : d.kind === 'skip' ? reasonString(d.reason) : '',
    };
  }
  pc.run.emit(ev);
}

function fail(pc: PlayCtx, host: string, task: string, msg: string, scope: Scope | undefined, frame: Frame): void {
  hostFailed(pc, host, { kind: 'failed', task: { name: task, module: 'include' }, result: { changed: false, failed: true, msg } }, scope, fatalFor(pc, frame, host));
}

/**
 * What `register` on an include holds, as Ansible registers it: `{include, include_args}` (include_role:
 * `{include_args: {name, …}}`), `changed: false`; a loop's `results` carry each `item`; a skipped include is
 * `skipped` with its reason.
 */
function includeResult(inc: IncludeTask, d: Decision): unknown {
  if (d.kind === 'skip') return whenSkippedResult(d.reason);
  if (d.kind === 'unknown') return makeUnknown(inc.register ?? 'include');
  if (d.kind === 'fail') return { changed: false, failed: true, msg: d.msg };
  const one = (it: { target: string; params: Vars }): Vars =>
    inc.what === 'tasks'
      ? { include: it.target, include_args: {}, changed: false }
      : { include_args: { name: it.target, ...fromArgs(inc) }, changed: false };
  if (!d.looped) return one(d.items[0] as { target: string; params: Vars });
  return {
    changed: false,
    msg: d.items.length ? 'All items completed' : 'No items in the list',
    results: d.items.map((it) => ({ ...one(it), item: it.params[d.loopVar], ansible_loop_var: d.loopVar })),
  };
}
