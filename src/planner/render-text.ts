import type { Paint } from '../reporters/color.js';
import { unifiedDiff } from './diff.js';
import { isDestructive, reasonText, shortPath, statusWord, type TextOpts } from './text-common.js';
import { summaryLines } from './text-summary.js';
import type { Plan, PlanHostEntry, PlanPlay } from '../plan-types.js';

export { unifiedDiff } from './diff.js';
export type { TextOpts } from './text-common.js';

const STEP = '           '; // indent of a step under its host line

/**
 * The terminal view: a one-screen summary (counts; every destructive step; what will fail; what is unknown),
 * then per play each task with, per host, what will happen and the exact commands. Hosts with the very same
 * outcome share a line. Destructive steps carry a red ⚠ DESTRUCTIVE line of their own.
 */
export function renderPlanText(plan: Plan, paint: Paint, opts: TextOpts = {}): string {
  const out = summaryLines(plan, paint, opts);
  plan.plays.forEach((play, pi) => {
    out.push('', playHeader(play, pi, paint));
    play.tasks.forEach((t, ti) => {
      const n = plan.plays.length > 1 ? `${pi + 1}.${ti + 1}` : `${ti + 1}`;
      const danger = t.hosts.some(isDestructive);
      const where = t.file ? paint('gray', `  ${shortPath(t.file, opts.cwd)}${t.line ? `:${t.line}` : ''}`) : '';
      const name = `${t.handler ? 'HANDLER ' : ''}${t.name}`;
      out.push('', `${n.padStart(4)}  ${danger ? paint('red', paint('bold', `⚠ ${name}`)) : paint('bold', name)}${where}`);
      for (const g of groupHosts(t.hosts)) out.push(...hostLines(g.hosts, g.entry, paint, play.batches.length > 1, opts.diff === true));
    });
  });
  return `${out.join('\n')}\n`;
}

function playHeader(play: PlanPlay, pi: number, paint: Paint): string {
  const batches = play.batches.length > 1 ? ` · serial batches: ${play.batches.map((b) => `[${b.join(' ')}]`).join(' ')}` : '';
  return paint('bold', `PLAY ${pi + 1}: ${play.name}`) + paint('gray', ` — hosts: ${play.hosts.join(' ')}${batches}`);
}

/** Hosts whose entries are the same but for the host name share one line (a skip on every host, say). */
function groupHosts(entries: PlanHostEntry[]): Array<{ hosts: string[]; entry: PlanHostEntry }> {
  const groups: Array<{ key: string; hosts: string[]; entry: PlanHostEntry }> = [];
  for (const e of entries) {
    const { host: _h, ...rest } = e;
    const key = JSON.stringify(rest);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.hosts.push(e.host);
    else groups.push({ key, hosts: [e.host], entry: e });
  }
  return groups;
}

function hostLines(hosts: string[], e: PlanHostEntry, paint: Paint, showBatch: boolean, diff: boolean): string[] {
  const lines: string[] = [];
  const mark = isDestructive(e) ? paint('red', '⚠ ') : '  ';
  const names = hosts.join(', ');
  const batch = showBatch ? paint('gray', ` [batch ${e.batch + 1}]`) : '';
  const on = e.runOn && e.runOn !== e.host ? paint('cyan', ` → runs on ${e.runOn}`) : '';
  const item = e.item !== undefined ? paint('cyan', ` item=${JSON.stringify(e.item)}`) : '';
  const why = e.status === 'unknown' && e.steps.length ? 'outcome known only when it runs' : reasonText(e);
  const reason = why ? paint('gray', ` (${why.split('\n').join(' ')})`) : '';
  lines.push(`     ${mark}${names.padEnd(Math.max(12, names.length))} ${statusWord(e, paint)}${batch}${on}${item}${reason}`);
  if (e.status === 'skip') return lines;
  for (const st of e.steps) {
    const become = st.become ? paint('gray', '  [sudo]') : '';
    const [first = '', ...rest] = st.text.split('\n');
    lines.push(`${STEP}${paint('cyan', '$')} ${first}${rest.length ? '' : become}`);
    rest.forEach((l, i) => {
      lines.push(`${STEP}  ${l}${i === rest.length - 1 ? become : ''}`);
    });
    if (st.destructive) lines.push(`${STEP}  ${paint('red', paint('bold', `⚠ DESTRUCTIVE: ${st.destructive}`))}`);
  }
  for (const n of e.notes ?? []) lines.push(paint('gray', `${STEP}· ${n}`));
  if (diff) for (const d of e.diff ?? []) lines.push(...unifiedDiff(d.path, d.before, d.after).map((l) => `${STEP}${colorDiff(l, paint)}`));
  return lines;
}

function colorDiff(l: string, paint: Paint): string {
  if (l.startsWith('+') && !l.startsWith('+++')) return paint('green', l);
  if (l.startsWith('-') && !l.startsWith('---')) return paint('red', l);
  return l;
}
