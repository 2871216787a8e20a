/**
 * The one `notify` check: every name a task notifies must be a handler's name (or `role : name`) or a
 * `listen` topic of the play; a templated name is resolved at run time. `lifeboat validate` runs it over the
 * play with its statically named includes expanded, the executor over the play before it runs.
 */
import { LifeboatError } from '../errors.js';
import { didYouMean } from './ajv-errors.js';
import { notifySources } from './context.js';
import { isTemplated } from './source.js';
import type { TaskNode } from './types.js';

export function* walkTasks(nodes: TaskNode[]): Generator<TaskNode> {
  for (const n of nodes) {
    yield n;
    if (n.kind === 'block') yield* walkTasks([...n.block, ...n.rescue, ...n.always]);
  }
}

/** The names a `notify` may use: handler names, `role : name`, and `listen` topics. */
export function handlerNames(handlers: TaskNode[]): Set<string> {
  const names = new Set<string>();
  for (const h of walkTasks(handlers)) {
    if (h.kind !== 'action') continue;
    if (h.name) {
      names.add(h.name);
      if (h.role) names.add(`${h.role.name} : ${h.name}`);
    }
    for (const l of h.listen ?? []) names.add(l);
  }
  return names;
}

/** `tasks`: every task, blocks' children included (`walkTasks`). */
export function checkNotify(tasks: Iterable<TaskNode>, handlers: TaskNode[]): LifeboatError[] {
  const names = handlerNames(handlers);
  const out: LifeboatError[] = [];
  for (const t of tasks) {
    if (t.kind !== 'action') continue;
    const srcs = notifySources.get(t) ?? [];
    t.notify.forEach((name, i) => {
      if (isTemplated(name) || names.has(name)) return;
      const dym = didYouMean(name, names);
      out.push(
        new LifeboatError('E_PLAYBOOK', `\`notify\` names no handler of this play: \`${name}\`${dym ? ` — ${dym}` : ''}`, {
          src: srcs[i] ?? t.src,
          ...(t.name ? { task: t.name } : {}),
          hint: names.size ? `handlers and listen topics: ${[...names].join(', ')}` : 'this play has no handlers',
        }),
      );
    });
  }
  return out;
}
