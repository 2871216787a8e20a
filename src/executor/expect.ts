import type { PlayCtx } from './context.js';
import type { PlannedStep } from './events.js';

/**
 * `lifeboat apply`: before a host runs a task's steps, they must be among the steps the reviewed plan
 * showed for that task, host and item. Doing less than planned is fine (an earlier task may already have
 * done it); anything not in the plan is refused. An entry the plan could not work out (unknown, no steps)
 * allows the run's steps: the reviewer saw "unknown until run" there.
 * Returns what differs, or undefined when the steps may run.
 */
export function unplannedSteps(pc: PlayCtx, taskId: string, host: string, item: unknown, steps: PlannedStep[]): string | undefined {
  const plan = pc.run.opts.expect;
  if (!plan || steps.length === 0) return undefined;
  const play = plan.plays[pc.playSeq];
  const task = play?.tasks.find((t) => t.id === taskId);
  if (!task) return `task ${taskId} was not in the plan`;
  const itemKey = JSON.stringify(item ?? null);
  const entry = task.hosts.find((e) => e.host === host && JSON.stringify(e.item ?? null) === itemKey);
  if (!entry) return `task "${task.name}" was not planned for ${host}`;
  if (entry.status === 'unknown' && entry.steps.length === 0) return undefined;
  const planned = new Set(entry.steps.map((s) => s.text));
  const extra = steps.filter((s) => !planned.has(s.text)).map((s) => s.text);
  if (extra.length === 0) return undefined;
  return `task "${task.name}" on ${host} would run steps the plan did not show:\n    ${extra.join('\n    ')}\n  planned: ${entry.steps.map((s) => s.text).join(' ; ') || '(none)'}`;
}
