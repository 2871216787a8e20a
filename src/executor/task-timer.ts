/**
 * The `timeout:` keyword and the numeric keywords rendered per host (`retries`, `delay`, `timeout`).
 * A task timer is one AbortSignal for one attempt of a module on a host: it aborts when the run is
 * interrupted (Ctrl-C) or when the task's seconds run out, and the connection then stops the command
 * on the host (TERM to its process group, KILL after a grace period), as any abort does.
 */
import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { ModuleResult } from '../modules/types.js';
import { type TaskWhere, renderValue } from '../vars/index.js';

export interface TaskTimer {
  /** The signal the module and its steps run under; undefined when neither the run nor the task has one. */
  signal: AbortSignal | undefined;
  /** True once the task's own time ran out (not the run's Ctrl-C). */
  fired(): boolean;
  /** Stop the clock (the attempt ended). */
  done(): void;
}

export function taskTimer(seconds: number, runSignal: AbortSignal | undefined): TaskTimer {
  if (!(seconds > 0)) return { signal: runSignal, fired: () => false, done: () => {} };
  const own = new AbortController();
  let fired = false;
  const t = setTimeout(() => {
    fired = true;
    own.abort(new LifeboatError('E_TASK', `timed out after ${seconds} s`));
  }, seconds * 1000);
  return {
    signal: runSignal ? AbortSignal.any([runSignal, own.signal]) : own.signal,
    fired: () => fired && runSignal?.aborted !== true,
    done: () => clearTimeout(t),
  };
}

/** The failed result of a task whose time ran out, in words close to Ansible's. */
export function timedOutResult(seconds: number, module: string, partial?: ModuleResult): ModuleResult {
  const { failed: _f, msg: _m, ...rest } = partial ?? { changed: false };
  return {
    ...rest,
    changed: partial?.changed === true,
    failed: true,
    timedout: { period: seconds },
    msg: `timed out after ${seconds} s: the ${module} action failed to execute in the expected time frame (${seconds}) and was terminated`,
  };
}

type NumberField = 'retries' | 'delay' | 'timeout' | 'async' | 'poll';
const WHOLE: ReadonlySet<NumberField> = new Set(['retries', 'timeout', 'async', 'poll']);

/** `retries` / `delay` / `timeout`: a number, or a template rendered with the host's variables (as Ansible allows). */
export function numberKeyword(v: number | string | undefined, fallback: number, vars: Vars, where: TaskWhere, field: NumberField): number {
  if (v === undefined) return fallback;
  const raw = typeof v === 'number' ? v : renderValue(v, vars, { ...where, field });
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || (WHOLE.has(field) && !Number.isInteger(n))) {
    throw new LifeboatError(
      'E_TEMPLATE',
      `${field}: ${JSON.stringify(raw)} is not ${field === 'retries' ? 'a whole number' : WHOLE.has(field) ? 'a whole number of seconds' : 'a number of seconds'} ≥ 0`,
      {
        ...where,
        hint: `make \`${field}\` (or the variable it names) a number`,
      },
    );
  }
  return n;
}
