import { argError, probe } from './common.js';
import { cleanupCommand, parseStatus, statusCommand } from './lib/async-job.js';
import { registerModule } from './registry.js';
import type { ModuleDef, ModuleResult, Operation } from './types.js';

/**
 * async_status — the state of a job a task left running (`async: N`, `poll: 0`): `jid` (its
 * `ansible_job_id`), `mode` (`status`, `cleanup`: remove the job's files). Used with `until: job.finished` and
 * `retries`, as in Ansible. One read-only probe; in a plan the job has not run, so its result is unknown.
 *
 * Returns: ansible_job_id, started, finished (0/1), rc, stdout, stderr, stdout_lines, stderr_lines; failed when
 * the command failed, ran out of its async time, or no such job exists.
 */
export interface AsyncStatusArgs {
  jid: string;
  mode?: 'status' | 'cleanup';
}

export const asyncStatusModule: ModuleDef<AsyncStatusArgs> = {
  name: 'async_status',
  summary: 'The state of a job left running in the background (async with poll: 0)',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['jid'],
    properties: { jid: { type: 'string', minLength: 1 }, mode: { enum: ['status', 'cleanup'] } },
  },
  async plan(ctx): Promise<Operation> {
    const { jid } = ctx.args;
    if (!/^[A-Za-z0-9._-]+$/.test(jid)) throw argError('async_status', ctx, `jid "${jid}" is not a job id`, 'pass the ansible_job_id a task with async and poll: 0 registered');
    if (ctx.args.mode === 'cleanup') {
      return { changed: false, steps: [{ kind: 'exec', cmd: cleanupCommand(jid), description: `remove the files of job ${jid}` }], result: { ansible_job_id: jid, erased: jid } };
    }
    const st = parseStatus((await probe(ctx, statusCommand(jid))).stdout);
    const base: ModuleResult = { changed: false, ansible_job_id: jid, started: 1 };
    if (st.kind === 'none') {
      if (ctx.check) return { changed: 'unknown', steps: [], notes: [`job ${jid} runs only in a real run: its state is known then`] };
      return { changed: false, steps: [], result: { ...base, started: 0, finished: 1, failed: true, msg: `could not find job ${jid} on this host` } };
    }
    if (st.kind === 'running') return { changed: false, steps: [], result: { ...base, finished: 0 } };
    const lines = (t: string): string[] => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
    const result: ModuleResult = {
      ...base,
      changed: true,
      finished: 1,
      rc: st.rc,
      stdout: st.stdout.replace(/\n$/, ''),
      stderr: st.stderr.replace(/\n$/, ''),
      stdout_lines: lines(st.stdout),
      stderr_lines: lines(st.stderr),
      ...(st.timedOut
        ? { failed: true, msg: 'async task did not complete within the requested time' }
        : st.rc !== 0
          ? { failed: true, msg: 'non-zero return code' }
          : {}),
    };
    return { changed: false, steps: [], result };
  },
};

registerModule(asyncStatusModule);
