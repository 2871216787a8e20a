import { createHash } from 'node:crypto';
import type { RunEvent } from '../executor/events.js';
import type { Plan, PlanInputs, PlanPlay, PlanSummary, PlanTask } from '../plan-types.js';
import { PLAN_SCHEMA } from '../plan-types.js';

/** Assembles the plan from the executor's plan-mode event stream (the same walk as a real run). */
export function buildPlan(
  events: readonly RunEvent[],
  meta: { inputs: PlanInputs; lifeboat: string; offline: boolean; now?: Date },
): Plan {
  const plays: PlanPlay[] = [];
  const warnings: string[] = [];
  let play: PlanPlay | undefined;
  const tasks = new Map<string, PlanTask>();
  for (const ev of events) {
    switch (ev.type) {
      case 'play_start':
        play = { name: ev.play, hosts: ev.hosts, batches: [], tasks: [] };
        plays.push(play);
        tasks.clear();
        break;
      case 'batch_start':
        play?.batches.push(ev.hosts);
        break;
      case 'task_start': {
        if (!play) break;
        let t = tasks.get(ev.taskId);
        if (!t) {
          t = {
            id: ev.taskId,
            name: ev.task,
            ...(ev.file ? { file: ev.file } : {}),
            ...(ev.line ? { line: ev.line } : {}),
            ...(ev.handler ? { handler: true } : {}),
            hosts: [],
          };
          tasks.set(ev.taskId, t);
          play.tasks.push(t);
        }
        break;
      }
      case 'host_plan': {
        const t = tasks.get(ev.taskId);
        if (!t) break;
        t.hosts.push({
          host: ev.host,
          status: ev.status,
          steps: ev.steps,
          destructive: ev.destructive,
          batch: ev.batchIndex,
          ...(ev.reason ? { reason: ev.reason } : {}),
          ...(ev.why ? { why: ev.why } : {}),
          ...(ev.notes?.length ? { notes: ev.notes } : {}),
          ...(ev.diff?.length ? { diff: ev.diff } : {}),
          ...(ev.runOn ? { runOn: ev.runOn } : {}),
          ...(ev.item !== undefined ? { item: ev.item } : {}),
        });
        break;
      }
      case 'warning':
        warnings.push(ev.host ? `${ev.host}: ${ev.msg}` : ev.msg);
        break;
      default:
        break;
    }
  }
  for (const p of plays) if (p.batches.length === 0) p.batches.push(p.hosts);
  return {
    schema: PLAN_SCHEMA,
    createdAt: (meta.now ?? new Date()).toISOString(),
    lifeboat: meta.lifeboat,
    offline: meta.offline,
    inputs: meta.inputs,
    factsHash: factsHash(plays),
    summary: summarize(plays),
    plays,
    warnings,
  };
}

export function summarize(plays: readonly PlanPlay[]): PlanSummary {
  const hosts = new Set<string>();
  const s: PlanSummary = { hosts: 0, tasks: 0, changes: 0, destructive: 0, unknown: 0, skipped: 0, failed: 0 };
  for (const p of plays) {
    for (const h of p.hosts) hosts.add(h);
    for (const t of p.tasks) {
      s.tasks += 1;
      for (const e of t.hosts) {
        if (e.status === 'change') s.changes += 1;
        if (e.status === 'unknown') s.unknown += 1;
        if (e.status === 'skip') s.skipped += 1;
        if (e.status === 'fail') s.failed += 1;
        if (e.destructive.length && e.status !== 'skip') s.destructive += 1;
      }
    }
  }
  s.hosts = hosts.size;
  return s;
}

/** A fingerprint of what the probes saw: statuses, steps, notes and file diffs per task and host. */
export function factsHash(plays: readonly PlanPlay[]): string {
  const h = createHash('sha256');
  for (const p of plays)
    for (const t of p.tasks)
      for (const e of t.hosts) h.update(JSON.stringify([p.name, t.name, t.line ?? 0, e.host, e.status, e.steps, e.notes ?? [], e.item ?? null, e.diff ?? []]));
  return h.digest('hex');
}
