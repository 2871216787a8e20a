import { globToRegExp } from '../glob.js';
import type { ActionTask, IncludeTask } from '../playbook/types.js';
import { renderValue } from '../vars/index.js';
import type { PlayCtx } from './context.js';
import { hostVars } from './host-vars.js';

/**
 * A task's display name: its `name` (rendered with the first host's play-level variables when it holds a
 * template; left as written if that fails), else the module name; role tasks as "role : name" (as Ansible).
 * Secrets are masked in it.
 */
export function taskLabel(pc: PlayCtx, task: ActionTask | IncludeTask, host: string): string {
  let name = task.name ?? (task.kind === 'action' ? task.module : `include_${task.what}`);
  if (name.includes('{{') || name.includes('{%')) {
    try {
      name = String(renderValue(name, hostVars(pc, host, undefined), { src: task.src, host, field: 'name' }));
    } catch {
      // keep the name as written
    }
  }
  return pc.run.secrets.mask(task.role ? `${task.role.name} : ${name}` : name);
}

/** `--start-at-task`: the task's name, or "role : name", equal to the pattern or matching it as a glob. */
export function startMatches(task: ActionTask, pattern: string): boolean {
  if (!task.name) return false;
  const names = [task.name, ...(task.role ? [`${task.role.name} : ${task.name}`] : [])];
  const re = globToRegExp(pattern);
  return names.some((n) => n === pattern || re.test(n));
}
