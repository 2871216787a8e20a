/**
 * Keywords that may be a boolean or a template (`become: "{{ not download_localhost }}"`, `run_once:
 * "{{ download_run_once }}"`, `no_log`, `any_errors_fatal`): the template is rendered with the host's vars
 * and read as Ansible reads a boolean (`yes`/`no`/`true`/`1`…).
 */
import type { SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { renderValue } from '../vars/index.js';
import type { PlayCtx } from './context.js';
import type { Frame } from './frame.js';
import { hostVars } from './host-vars.js';

const TRUE = new Set(['yes', 'true', 'on', 'y', '1']);

export function asBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return TRUE.has(v.trim().toLowerCase());
  if (typeof v === 'number') return v !== 0;
  return Boolean(v);
}

/** The keyword's value for this host; undefined when it is not set. */
export function flagValue(
  v: boolean | string | undefined,
  vars: Vars,
  where: { src: SourceRef; host: string; task?: string; field: string },
): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  return asBool(renderValue(v, vars, where));
}

/** The frame with become / no_log / run_once / any_errors_fatal templates rendered for this host. */
export function resolveFlags<F extends { become?: boolean | string; noLog?: boolean | string; runOnce?: boolean | string; anyErrorsFatal?: boolean | string }>(
  frame: F,
  vars: Vars,
  where: { src: SourceRef; host: string; task?: string },
): F {
  const keys = [
    ['become', 'become'],
    ['noLog', 'no_log'],
    ['runOnce', 'run_once'],
    ['anyErrorsFatal', 'any_errors_fatal'],
  ] as const;
  if (!keys.some(([k]) => typeof frame[k] === 'string')) return frame;
  const out = { ...frame };
  for (const [k, field] of keys) {
    const v = frame[k];
    if (typeof v === 'string') out[k] = flagValue(v, vars, { ...where, field }) as F[typeof k];
  }
  return out;
}

/** any_errors_fatal for host `h` (a template is rendered with its vars; an error in it counts as false). */
export function fatalFor(pc: PlayCtx, frame: Frame, h: string): boolean {
  if (typeof frame.anyErrorsFatal !== 'string') return frame.anyErrorsFatal === true;
  try {
    return flagValue(frame.anyErrorsFatal, hostVars(pc, h, frame), { src: pc.play.src, host: h, field: 'any_errors_fatal' }) === true;
  } catch {
    return false;
  }
}
