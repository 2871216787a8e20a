import type { ActionTask, Play, TaskNode } from '../playbook/types.js';
import { type PlayCtx, isHostActive, mayContinue } from './context.js';
import { rootFrame } from './frame.js';
import { runAction } from './task.js';

/**
 * Handlers: a task that reports a change notifies handlers by `name` or `listen`; they run at the end of
 * each play section (pre_tasks, roles + tasks, post_tasks) or at `meta: flush_handlers`, once each, in the
 * order they are defined, on the hosts that notified them and are still in the play.
 */
export function playHandlers(pc: PlayCtx): ActionTask[] {
  return [...flatHandlers(pc.play), ...pc.extraHandlers];
}

function flatHandlers(play: Play): ActionTask[] {
  const out: ActionTask[] = [];
  const walk = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'action') out.push(n);
      else if (n.kind === 'block') walk([...n.block, ...n.rescue, ...n.always]);
    }
  };
  walk(play.handlers);
  return out;
}

function handlersFor(handlers: ActionTask[], name: string): ActionTask[] {
  return handlers.filter((h) => h.name === name || h.listen?.includes(name) || (h.role && `${h.role.name} : ${h.name}` === name));
}

export function notifyHandlers(pc: PlayCtx, task: ActionTask, host: string, how: 'yes' | 'maybe'): void {
  const handlers = playHandlers(pc);
  for (const name of task.notify) {
    const hs = handlersFor(handlers, name);
    if (hs.length === 0) {
      pc.run.emit({ type: 'warning', msg: `${task.src.file}:${task.src.line}:${task.src.col}: notify: no handler named or listening to "${name}"`, host });
      continue;
    }
    for (const h of hs) {
      let m = pc.notified.get(h);
      if (!m) {
        m = new Map();
        pc.notified.set(h, m);
      }
      if (m.get(host) !== 'yes') m.set(host, how);
    }
  }
}

/** Runs every notified handler (and those they notify in turn), in definition order. */
export async function flushHandlers(pc: PlayCtx): Promise<void> {
  const handlers = playHandlers(pc);
  for (let pass = 0; pass <= handlers.length && pc.notified.size > 0; pass++) {
    for (const h of handlers) {
      if (!mayContinue(pc)) return;
      const m = pc.notified.get(h);
      if (!m) continue;
      pc.notified.delete(h);
      const hosts = pc.batch.filter((x) => m.has(x) && isHostActive(pc, x));
      if (hosts.length === 0) continue;
      const maybe = new Set(hosts.filter((x) => m.get(x) === 'maybe'));
      await runAction(pc, h, rootFrame(pc.play), hosts, undefined, { handler: { maybe } });
    }
  }
}
