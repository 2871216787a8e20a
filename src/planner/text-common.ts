import type { Paint } from '../reporters/color.js';
import { type PlanHostEntry, reasonString } from '../plan-types.js';

// shortPath moved to src/reporters/format.ts (the plain reporter uses it too); re-exported for the renderers.
export { shortPath } from '../reporters/format.js';

/** Shared bits of the terminal view. */
export interface TextOpts {
  diff?: boolean;
  /** Terminal width (default 120): long lists are cut to it; commands never are. */
  width?: number;
  /** Paths are shown relative to this directory when inside it (default: the working directory). */
  cwd?: string;
}

/** Why an entry has its status, worded from its kind (a false `when` as "when: x — false"). */
export function reasonText(e: Pick<PlanHostEntry, 'reason' | 'why'>): string {
  const r = e.why;
  // A plan saved before `why` existed: its `reason` as it is (never parsed back).
  if (!r) return e.reason ?? '';
  return r.kind === 'when-false' ? `when: ${r.expr} — false` : reasonString(r);
}

export function isDestructive(e: PlanHostEntry): boolean {
  return e.destructive.length > 0 && e.status !== 'skip';
}

/** What will happen, in words: the word and its colour. */
export function statusWord(e: PlanHostEntry, paint: Paint): string {
  switch (e.status) {
    case 'change':
      return paint('yellow', paint('bold', 'WILL CHANGE'));
    case 'ok':
      return paint('green', 'no change');
    case 'skip':
      return paint('gray', 'skip');
    case 'fail':
      return paint('red', paint('bold', 'WILL FAIL'));
    case 'unknown':
      // A command that will run but whose effect is its own is "will run", not a mystery.
      return e.steps.length ? paint('yellow', 'WILL RUN') : paint('magenta', 'unknown until run');
  }
}

export function clipTo(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

/** Host names, cut after `max` with a count. */
export function hostList(hosts: string[], max = 6): string {
  return hosts.length <= max ? hosts.join(' ') : `${hosts.slice(0, max).join(' ')} +${hosts.length - max} more`;
}

/** Words wrapped to `width` columns (a word longer than the width gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/ +/)) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}
