/**
 * `async` and `poll` on a task. `async: N` with `poll` > 0 (Ansible's default poll is 10): the task runs in the
 * foreground and fails, in Ansible's words, when it takes longer than N seconds — the `timeout` keyword's clock
 * (task-timer.ts) with N. `poll: 0`: the module's one command is started in the background on the host
 * (modules/lib/async-job.ts), the task reports `ansible_job_id` at once, and `async_status` reads the job later.
 */
import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { backgroundCommand, BACKGROUND_MODULES, newJobId } from '../modules/lib/async-job.js';
import type { ModuleResult, Operation, StepOutcome } from '../modules/types.js';
import type { ActionTask } from '../playbook/index.js';
import type { TaskWhere } from '../vars/index.js';
import { numberKeyword } from './task-timer.js';

export interface AsyncSpec {
  seconds: number;
  poll: number;
}

export function asyncOf(task: ActionTask, vars: Vars, where: TaskWhere): AsyncSpec | undefined {
  if (task.async === undefined) return undefined;
  const seconds = numberKeyword(task.async, 0, vars, where, 'async');
  const poll = numberKeyword(task.poll, 10, vars, where, 'poll');
  // Ansible: async 0 is a task like any other
  return seconds > 0 ? { seconds, poll } : undefined;
}

/** The failed result of a polled async task past its seconds (Ansible's message). */
export function asyncTimedOut(seconds: number, partial?: ModuleResult): ModuleResult {
  const { failed: _f, msg: _m, ...rest } = partial ?? { changed: false };
  return { ...rest, changed: partial?.changed === true, failed: true, msg: `async task did not complete within the requested time - ${seconds}s` };
}

/** `poll: 0`: the module's one command started in the background instead of run; the job's id is the result. */
export function backgroundOp(op: Operation, module: string, seconds: number, where: TaskWhere): Operation {
  if (op.steps.length === 0) return op; // creates/removes decided: nothing to start
  const step = op.steps[0];
  if (op.steps.length > 1 || step?.kind !== 'exec' || step.stdin !== undefined || !BACKGROUND_MODULES.includes(module)) {
    throw new LifeboatError('E_TASK', `poll: 0 needs a task whose module runs one command (${BACKGROUND_MODULES.join(', ')}); ${module} does not`, {
      ...where,
      hint: 'give poll a number of seconds: the task then runs in the foreground and fails after async seconds',
    });
  }
  const jid = newJobId();
  const started: ModuleResult = { changed: true, ansible_job_id: jid, started: 1, finished: 0, results_file: `~/.lifeboat_async/${jid}` };
  return {
    changed: true,
    steps: [{ ...step, cmd: backgroundCommand(step.cmd, jid, seconds), description: `start in the background as job ${jid} (at most ${seconds} s): ${step.description ?? step.cmd}` }],
    result: started,
    finish: (outcomes: StepOutcome[]): ModuleResult => {
      const failed = outcomes.find((o) => o.error !== undefined);
      if (!failed) return started;
      return { changed: false, failed: true, msg: `could not start the job: ${failed.error}`, rc: failed.exec?.rc, stderr: failed.exec?.stderr ?? '' };
    },
  };
}
