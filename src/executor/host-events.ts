import { DISPLAY, type ModuleResult } from '../modules/types.js';
import type { EventBody, PlayCtx } from './context.js';
import type { ItemOutcome } from './item.js';
import { PLAN_STATUS, type Status, runStatus } from '../status.js';
import { NO_LOG_TEXT, clip } from './output.js';
import { type PlanReason, reasonString } from '../plan-types.js';
import type { SecretSet } from '../secrets.js';

export interface EventTarget {
  pc: PlayCtx;
  taskId: string;
  taskName: string;
  host: string;
  noLog: boolean;
}

/** A `host_result` event: output cut to 4 KiB, secrets masked, everything hidden under no_log. */
export function resultEvent(
  t: EventTarget,
  status: Status,
  result: ModuleResult,
  o: { durationMs: number; item?: unknown; ignored?: boolean; delegatedTo?: string; steps?: ItemOutcome['steps'] },
): EventBody {
  const secrets = t.pc.run.secrets;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' ? (t.noLog ? NO_LOG_TEXT : clip(v, secrets)) : undefined;
  const stdout = text(result.stdout);
  const stderr = text(result.stderr);
  const msg = text(result.msg) ?? text(result[DISPLAY]);
  return {
    type: 'host_result',
    taskId: t.taskId,
    task: t.taskName,
    host: t.host,
    status: runStatus(status),
    changed: result.changed === true,
    durationMs: Math.round(o.durationMs),
    ...(o.delegatedTo ? { delegatedTo: o.delegatedTo } : {}),
    ...(o.item !== undefined ? { item: t.noLog ? NO_LOG_TEXT : secrets.maskDeep(o.item) } : {}),
    ...(typeof result.rc === 'number' ? { rc: result.rc } : {}),
    ...(stdout !== undefined && stdout !== '' ? { stdout } : {}),
    ...(stderr !== undefined && stderr !== '' ? { stderr } : {}),
    ...(msg !== undefined && msg !== '' ? { msg } : {}),
    ...(o.ignored ? { ignored: true } : {}),
    ...(o.steps?.length ? { steps: o.steps } : {}),
  };
}

/** A `host_plan` event (plan mode). */
export function planEvent(
  t: EventTarget,
  o: ItemOutcome,
  extra: { item?: unknown; runOn?: string; reason?: PlanReason; stepsHidden?: boolean },
): EventBody {
  const secrets = t.pc.run.secrets;
  let why = extra.reason ?? o.reason;
  if (!why && (o.status === 'failed' || o.status === 'unreachable') && typeof o.result.msg === 'string') {
    why = { kind: o.status === 'unreachable' ? 'unreachable' : 'failed', message: t.noLog ? NO_LOG_TEXT : o.result.msg };
  }
  if (why) why = clipReason(why, secrets);
  const reason = why ? clip(reasonString(why), secrets) : '';
  const runOn = extra.runOn ?? o.delegatedTo;
  return {
    type: 'host_plan',
    play: t.pc.play.name,
    taskId: t.taskId,
    task: t.taskName,
    host: t.host,
    batchIndex: t.pc.batchIndex,
    status: PLAN_STATUS[o.status],
    steps: extra.stepsHidden ? [] : o.steps,
    destructive: extra.stepsHidden ? [] : o.destructive.map((d) => clip(d, secrets)),
    ...(why && reason ? { reason, why } : {}),
    ...(o.notes?.length ? { notes: o.notes.map((n) => clip(n, secrets)) } : {}),
    ...(o.diff && !t.noLog && !extra.stepsHidden ? { diff: secrets.maskDeep(o.diff) as typeof o.diff } : {}),
    ...(runOn ? { runOn } : {}),
    ...(extra.item !== undefined ? { item: t.noLog ? NO_LOG_TEXT : secrets.maskDeep(extra.item) } : {}),
  };
}

/** The reason's texts (a message, a condition) cut and masked as the event's other texts are. */
function clipReason(r: PlanReason, secrets: SecretSet): PlanReason {
  switch (r.kind) {
    case 'failed':
    case 'unreachable':
      return { ...r, message: clip(r.message, secrets) };
    case 'when-false':
      return { ...r, expr: clip(r.expr, secrets) };
    default:
      return r;
  }
}
