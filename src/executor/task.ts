import { getModule } from '../modules/registry.js';
import { SETUP_FACT_NAMES } from '../modules/setup.js';
import type { ModuleDef } from '../modules/types.js';
import type { ActionTask } from '../playbook/types.js';
import { type PlanReason, reasonString } from '../plan-types.js';
import { makeUnknown, renderValue } from '../vars/index.js';
import { type EventBody, type PlayCtx, isHostActive, taskIdFor } from './context.js';
import { mapLimit } from './forks.js';
import { type Frame, childFrame } from './frame.js';
import { fatalFor, flagValue } from './flags.js';
import { type HostOutcome, runHostTask } from './host-task.js';
import { hostVars } from './host-vars.js';
import { sleep } from './lazy-conn.js';
import { type Scope, checkMaxFail, hostFailed } from './scope.js';
import { shouldRun } from './tags.js';
import { taskLabel, startMatches } from './task-name.js';
import { flushHandlers, notifyHandlers } from './handlers.js';
import { addRunGroup, groupByResults } from './run-groups.js';

export interface ActionOpts {
  /** Running as a handler: no tag filter, no start-at-task; hosts notified only maybe (plan mode). */
  handler?: { maybe: Set<string> };
  /** Hosts rescuing (ansible_failed_task / ansible_failed_result in their vars). */
  rescuing?: boolean;
  /** Gathering facts: no tag filter, no start-at-task. */
  system?: boolean;
}

/** Emits each host's events in inventory order, as soon as every host before it has finished. */
class Ordered {
  private readonly buf: Array<EventBody[] | undefined>;
  private next = 0;
  constructor(
    n: number,
    private readonly emit: (e: EventBody) => void,
  ) {
    this.buf = new Array(n);
  }
  done(i: number, evs: EventBody[]): void {
    this.buf[i] = evs;
    for (let b = this.buf[this.next]; b !== undefined; b = this.buf[this.next]) {
      for (const e of b) this.emit(e);
      this.next++;
    }
  }
}

/** One task on the batch's hosts (linear strategy): all hosts in parallel up to `forks`, then the next task. */
export async function runAction(pc: PlayCtx, task: ActionTask, parent: Frame, hosts: string[], scope: Scope | undefined, o: ActionOpts = {}): Promise<void> {
  const run = pc.run;
  const frame = childFrame(parent, task);
  if (!o.handler && !o.system) {
    if (!shouldRun(frame.tags, run.tags)) return;
    if (!run.state.started) {
      if (!startMatches(task, run.opts.startAtTask ?? '')) return;
      run.state.started = true;
    }
  }
  const live = hosts.filter((h) => isHostActive(pc, h));
  if (live.length === 0) return;
  const taskName = taskLabel(pc, task, live[0] as string);
  const taskId = taskIdFor(pc, task);
  const t0 = performance.now();
  run.emit({
    type: 'task_start',
    play: pc.play.name,
    task: taskName,
    taskId,
    file: task.src.file,
    line: task.src.line,
    hosts: live,
    ...(o.handler ? { handler: true } : {}),
  });
  const def = getModule(task.module) as ModuleDef | undefined;
  // A templated run_once is rendered with the first host's vars (Ansible decides it once for the batch).
  const first = live[0] as string;
  let runOnce = false;
  try {
    runOnce = flagValue(frame.runOnce, hostVars(pc, first, frame), { src: task.src, host: first, task: taskName, field: 'run_once' }) === true;
  } catch {
    // the error is reported by each host's run of the task (flags.ts renders it again there)
  }
  const runHosts = runOnce ? live.slice(0, 1) : live;
  // A templated delegate_to is known only per host, when the task runs (host_result carries it).
  const staticDelegate = frame.delegateTo !== undefined && !frame.delegateTo.includes('{{') ? frame.delegateTo : undefined;
  const ordered = new Ordered(runHosts.length, run.emit);
  const limit = throttleOf(pc, frame, first, taskName, run.forks);
  const outcomes = await mapLimit(runHosts, limit, async (host, i) => {
    run.emit({ type: 'host_start', taskId, task: taskName, host, ...(staticDelegate ? { delegatedTo: staticDelegate } : {}) });
    let out: HostOutcome;
    try {
      out = def
        ? await runHostTask({ pc, task, frame, def, taskId, taskName, host, ...(o.rescuing ? { top: failedVars(pc, host) } : {}) })
        : unknownModule(pc, task, host, taskId, taskName);
    } catch (e) {
      // A bug must not take the other hosts down with it: this host fails, saying so.
      out = failedOutcome(pc, host, taskId, taskName, `internal error (a bug in Lifeboat): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    if (o.handler?.maybe.has(host)) markMaybe(out);
    if (runOnce) for (const e of out.events) if (e.type === 'host_plan') e.runOn ??= host;
    ordered.done(i, out.events);
    return out;
  });
  const all = runOnce ? copyRunOnce(pc, outcomes[0], live, taskId, taskName) : outcomes;
  let flush = false;
  let pauseS = 0;
  for (const out of all) {
    record(pc, task, taskName, frame, out, scope);
    if (out.control?.kind === 'flush_handlers') flush = true;
    if (out.control?.kind === 'end_host') pc.ended.add(out.host);
    if (out.control?.kind === 'end_play') pc.playEnded = true;
    if (out.control?.kind === 'end_role' && frame.role) {
      pc.endedRole ??= new Map();
      pc.endedRole.set(out.host, frame.role);
    }
    if (out.control?.kind === 'pause' && !run.opts.check) pauseS = Math.max(pauseS, out.control.seconds);
  }
  run.emit({ type: 'task_end', taskId, task: taskName, durationMs: Math.round(performance.now() - t0) });
  checkMaxFail(pc);
  if (pauseS > 0) await sleep(pauseS * 1000, run.opts.signal);
  if (flush) await flushHandlers(pc);
}

/** Counts, register, facts, notify, and failures (handed to the enclosing block or out of the run). */
function record(pc: PlayCtx, task: ActionTask, taskName: string, frame: Frame, out: HostOutcome, scope: Scope | undefined): void {
  const st = pc.run.state;
  const check = pc.run.opts.check;
  const h = out.host;
  if (out.status === 'interrupted') return;
  if (task.register) st.hostRegistered(h)[task.register] = check && !out.known ? makeUnknown(task.register) : out.result;
  const facts = out.result.ansible_facts;
  // delegate_facts: facts go to the delegated host (register stays with the task's host, as Ansible)
  const fh = frame.delegateFacts === true && out.last?.delegatedTo ? out.last.delegatedTo : h;
  if (facts && typeof facts === 'object' && (!check || out.known)) {
    // include_vars sits with set_fact (above play and role vars), as in Ansible
    Object.assign(task.module === 'set_fact' || task.module === 'include_vars' ? st.hostRegistered(fh) : st.hostGathered(fh), facts);
  } else if (check && !out.known && task.module === 'set_fact') {
    for (const k of Object.keys(task.args)) if (k !== 'cacheable') st.hostRegistered(h)[k] = makeUnknown(k);
  } else if (check && !out.known && task.module === 'setup') {
    // facts not gathered (an offline plan): what reads them is unknown until run, not a failure
    const g = st.hostGathered(h);
    for (const k of SETUP_FACT_NAMES) g[k] ??= makeUnknown(k);
  }
  if (task.module === 'group_by') for (const g of groupByResults(out.result)) addRunGroup(pc.run, h, g.name, g.parents);
  switch (out.status) {
    case 'ok':
    case 'unknown':
      st.count(h, 'ok');
      break;
    case 'changed':
      st.count(h, 'changed');
      break;
    case 'skipped':
      st.count(h, 'skipped');
      break;
    case 'failed':
    case 'unreachable': {
      if (out.status === 'unreachable') st.count(h, out.ignored ? 'ignored' : 'unreachable');
      else if (out.ignored) st.count(h, 'ignored');
      if (out.ignored) break;
      const info = { kind: out.status, task: { name: taskName, module: task.module }, result: out.result } as const;
      hostFailed(pc, h, info, scope, fatalFor(pc, frame, h));
      return;
    }
  }
  if (task.notify.length && (out.status === 'changed' || (check && out.status === 'unknown'))) {
    notifyHandlers(pc, task, h, out.status === 'changed' ? 'yes' : 'maybe');
  }
}

/** `throttle`: at most N hosts at once (never above forks; 0 or an unreadable value: forks). */
function throttleOf(pc: PlayCtx, frame: Frame, host: string, taskName: string, forks: number): number {
  const t = frame.throttle;
  if (t === undefined) return forks;
  let n = typeof t === 'number' ? t : Number.NaN;
  if (typeof t === 'string') {
    try {
      n = Number(renderValue(t, hostVars(pc, host, frame), { src: pc.play.src, host, task: taskName, field: 'throttle' }));
    } catch {
      n = Number.NaN;
    }
  }
  return Number.isInteger(n) && n > 0 ? Math.min(n, forks) : forks;
}

function failedVars(pc: PlayCtx, host: string): Record<string, unknown> {
  const info = pc.failInfo.get(host);
  return info ? { ansible_failed_task: info.task, ansible_failed_result: info.result } : {};
}

/** run_once: the first host's result is every host's result (not an unreachable first host's). */
function copyRunOnce(pc: PlayCtx, first: HostOutcome | undefined, live: string[], taskId: string, task: string): HostOutcome[] {
  if (!first) return [];
  if (first.status === 'unreachable' || first.status === 'interrupted') return [first];
  const out: HostOutcome[] = [first];
  for (const host of live.slice(1)) {
    const events = first.events.map((e) => {
      if (e.type === 'host_plan') {
        const why: PlanReason = { kind: 'run-once', on: first.host };
        return { ...e, host, steps: [], destructive: [], runOn: first.host, reason: reasonString(why), why };
      }
      if (e.type === 'host_result') {
        // The result is the first host's: say so instead of repeating its output for every host.
        const { msg: _m, stdout: _o, stderr: _e, ...rest } = e;
        return { ...rest, host, runOnceOf: first.host } as EventBody;
      }
      return { ...e, host } as EventBody;
    });
    out.push({ ...first, host, events });
    pc.run.emit({ type: 'host_start', taskId, task, host });
    for (const e of events) pc.run.emit(e);
  }
  return out;
}

/** Plan mode: a handler notified only by tasks whose change is unknown may or may not run. */
function markMaybe(out: HostOutcome): void {
  for (const e of out.events) {
    if (e.type === 'host_plan' && (e.status === 'change' || e.status === 'ok' || e.status === 'unknown')) {
      e.status = 'unknown';
      e.why = { kind: 'maybe-notified' };
      e.reason = reasonString(e.why);
    }
  }
  if (out.status === 'changed' || out.status === 'ok') out.status = 'unknown';
}

function unknownModule(pc: PlayCtx, task: ActionTask, host: string, taskId: string, taskName: string): HostOutcome {
  const msg = `${task.src.file}:${task.src.line}:${task.src.col}: unknown module "${task.module}" (host ${host}, task "${taskName}")`;
  return failedOutcome(pc, host, taskId, taskName, msg);
}

function failedOutcome(pc: PlayCtx, host: string, taskId: string, taskName: string, msg: string): HostOutcome {
  const result = { changed: false, failed: true, msg };
  const ev: EventBody = pc.run.opts.check
    ? { type: 'host_plan', play: pc.play.name, taskId, task: taskName, host, batchIndex: pc.batchIndex, status: 'fail', steps: [], destructive: [], reason: msg, why: { kind: 'failed', message: msg } }
    : { type: 'host_result', taskId, task: taskName, host, status: 'failed', changed: false, durationMs: 0, msg };
  return { host, status: 'failed', ignored: false, result, known: true, events: [ev] };
}
