import type { SecretSet } from '../secrets.js';
import type { Readable } from 'node:stream';
import type { Connection, ExecResult } from '../connection/types.js';
import { putVerified } from '../connection/put-verified.js';
import { LifeboatError } from '../errors.js';
import type { ModuleResult, Operation, Step, StepOutcome } from './types.js';

/**
 * Runs an Operation's steps on a host, in order, and builds the module result. The executor calls this in
 * a real run after `module.plan(ctx)`; in plan mode the steps are only shown.
 *
 * - exec → conn.exec (success when rc ∈ step.okRc, default [0]); put → conn.put; get → conn.get.
 * - Stops at the first failed step.
 * - Then `op.finish(outcomes)` when the module gave one, else the default result: changed when steps ran
 *   and op.changed !== false; failed when a step failed; rc/stdout/stderr(/_lines) of the last exec;
 *   msg naming the failed step.
 * - Connection-level errors (unreachable, auth, become, interrupted) are thrown, not turned into results,
 *   so the executor can count the host as unreachable / stop the run. A put/get that fails for another
 *   reason (permission, missing file) is a failed step.
 * - Every secret of the run (`opts.secrets`, to which each `step.secrets` value is added) is masked in
 *   stdout/stderr/msg of the result and in live output.
 */

export type OutputStream = 'stdout' | 'stderr';

export interface ApplyOptions {
  become: boolean;
  /** The run's SecretSet (the same object its reporters mask with). */
  secrets: SecretSet;
  becomeUser?: string;
  /** Environment for every exec step (a step's own env wins on the same name). */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Live output of exec steps (secrets of the step already masked). */
  onOutput?: (stream: OutputStream, text: string, step: Step) => void;
}

export { MASK } from '../secrets.js';

/** Codes that mean the host or the run is gone, not that the step failed. */
const RETHROW_CODES = new Set(['E_CONNECT', 'E_HOSTKEY', 'E_UNREACHABLE', 'E_BECOME', 'E_INTERRUPTED']);

export function stepLabel(step: Step, secrets: SecretSet): string {
  if (step.description) return secrets.mask(step.description);
  switch (step.kind) {
    case 'exec':
      for (const s of step.secrets ?? []) secrets.add(s);
      return secrets.mask(step.cmd);
    case 'put':
      return `put ${step.dest}`;
    case 'get':
      return `get ${step.src} -> ${step.dest}`;
  }
}

function execOk(step: Extract<Step, { kind: 'exec' }>, r: ExecResult): boolean {
  if (r.signal) return false;
  return (step.okRc ?? [0]).includes(r.rc);
}

function lines(s: string): string[] {
  if (s === '') return [];
  return s.replace(/\r?\n$/, '').split(/\r?\n/);
}

async function runStep(step: Step, conn: Connection, opts: ApplyOptions): Promise<StepOutcome> {
  const become = step.kind === 'exec' ? (step.become ?? opts.become) : opts.become;
  const mask = (t: string) => opts.secrets.mask(t);
  if (step.kind === 'exec') {
    for (const s of step.secrets ?? []) opts.secrets.add(s);
    const env = opts.env || step.env ? { ...(opts.env ?? {}), ...(step.env ?? {}) } : undefined;
    const onOut = opts.onOutput;
    const exec = await conn.exec(step.cmd, {
      become,
      ...(opts.becomeUser !== undefined ? { becomeUser: opts.becomeUser } : {}),
      ...(env ? { env } : {}),
      ...(step.stdin !== undefined ? { stdin: step.stdin } : {}),
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(onOut
        ? {
            onStdout: (c: Buffer) => onOut('stdout', mask(c.toString('utf8')), step),
            onStderr: (c: Buffer) => onOut('stderr', mask(c.toString('utf8')), step),
          }
        : {}),
    });
    const masked: ExecResult = {
      ...exec,
      stdout: mask(exec.stdout),
      stderr: mask(exec.stderr),
    };
    if (execOk(step, masked)) return { step, exec: masked };
    const why = masked.signal ? `killed by ${masked.signal}` : `exit code ${masked.rc}`;
    return { step, exec: masked, error: `${stepLabel(step, opts.secrets)}: ${why}` };
  }
  try {
    if (step.kind === 'put') {
      if (step.content === undefined && step.src === undefined) {
        throw new LifeboatError('E_INTERNAL', `put step for ${step.dest} has neither content nor src`);
      }
      if (step.verify && step.content === undefined) {
        if (step.owner !== undefined || step.group !== undefined) throw new LifeboatError('E_INTERNAL', `verified put to ${step.dest} cannot set owner/group`);
        await putVerified(conn, step.open ?? step.src ?? '', step.dest, step.verify, {
          become,
          ...(step.mode !== undefined ? { mode: step.mode } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        return { step };
      }
      const src: string | Buffer | Readable =
        step.content !== undefined ? Buffer.from(step.content, 'utf8') : step.open ? await step.open() : (step.src ?? '');
      await conn.put(src, step.dest, {
        become,
        ...(step.mode !== undefined ? { mode: step.mode } : {}),
        ...(step.owner !== undefined ? { owner: step.owner } : {}),
        ...(step.group !== undefined ? { group: step.group } : {}),
      });
    } else {
      await conn.get(step.src, step.dest, { become });
    }
    return { step };
  } catch (e) {
    if (e instanceof LifeboatError && RETHROW_CODES.has(e.code)) throw e;
    if (opts.signal?.aborted) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    return { step, error: `${stepLabel(step, opts.secrets)}: ${msg}` };
  }
}

/** The result built when the Operation has no `finish`. */
export function defaultResult(op: Operation, outcomes: StepOutcome[]): ModuleResult {
  const ran = outcomes.length > 0;
  const failedOutcome = outcomes.find((o) => o.error !== undefined);
  const result: ModuleResult = {
    ...(op.result ?? {}),
    changed: op.result?.changed ?? (ran && op.changed !== false),
  };
  const lastExec = [...outcomes].reverse().find((o) => o.exec)?.exec;
  if (lastExec) {
    result.rc = lastExec.rc;
    result.stdout = lastExec.stdout;
    result.stderr = lastExec.stderr;
    result.stdout_lines = lines(lastExec.stdout);
    result.stderr_lines = lines(lastExec.stderr);
  }
  if (failedOutcome) {
    result.failed = true;
    const detail = failedOutcome.exec?.stderr.trim() || failedOutcome.exec?.stdout.trim();
    result.msg = `step failed: ${failedOutcome.error}${detail ? ` — ${lastLine(detail)}` : ''}`;
  }
  return result;
}

function lastLine(s: string): string {
  const ls = s.split(/\r?\n/).filter((l) => l.trim() !== '');
  const last = ls[ls.length - 1] ?? '';
  return last.length > 500 ? `${last.slice(0, 500)}…` : last;
}

export async function applyOperation(op: Operation, conn: Connection, opts: ApplyOptions): Promise<ModuleResult> {
  const outcomes: StepOutcome[] = [];
  for (const step of op.steps) {
    if (opts.signal?.aborted) {
      throw new LifeboatError('E_INTERRUPTED', `interrupted before: ${stepLabel(step, opts.secrets)}`, { host: conn.host });
    }
    const outcome = await runStep(step, conn, opts);
    outcomes.push(outcome);
    if (outcome.error !== undefined) break;
  }
  if (op.finish) return op.finish(outcomes);
  return defaultResult(op, outcomes);
}
