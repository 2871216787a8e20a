import type { Paint } from '../reporters/color.js';
import type { Plan, PlanHostEntry, PlanStatus } from './types.js';

const WORD: Record<PlanStatus, string> = {
  change: 'will change',
  ok: 'no change',
  skip: 'skip',
  unknown: 'unknown until run',
  fail: 'will fail',
};

function statusColor(s: PlanStatus): 'yellow' | 'green' | 'cyan' | 'magenta' | 'red' {
  return s === 'change' ? 'yellow' : s === 'ok' ? 'green' : s === 'skip' ? 'cyan' : s === 'unknown' ? 'magenta' : 'red';
}

/** The terminal view: a one-screen summary first, then a table per play: task → host → status and commands. */
export function renderPlanText(plan: Plan, paint: Paint, opts: { diff?: boolean } = {}): string {
  const s = plan.summary;
  const out: string[] = [];
  out.push(paint('bold', `Plan: ${plan.inputs.playbooks.join(', ')}`));
  out.push(
    `  ${s.hosts} host(s) · ${s.tasks} task(s) · ${paint('yellow', `${s.changes} change(s)`)} · ` +
      `${paint('red', `${s.destructive} destructive step(s)`)} · ${paint('magenta', `${s.unknown} unknown until run`)} · ${s.skipped} skipped` +
      (s.failed ? ` · ${paint('red', `${s.failed} will fail`)}` : ''),
  );
  if (plan.offline) out.push(paint('yellow', '  offline: no host was probed; file and service states are assumed to change'));
  for (const w of plan.warnings) out.push(paint('yellow', `  warning: ${w}`));
  plan.plays.forEach((play, pi) => {
    out.push('');
    out.push(paint('bold', `PLAY ${pi + 1} [${play.name}]`) + paint('gray', ` hosts: ${play.hosts.join(', ')}`));
    if (play.batches.length > 1) {
      play.batches.forEach((b, i) => out.push(paint('gray', `  batch ${i + 1}: ${b.join(', ')}`)));
    }
    play.tasks.forEach((t, ti) => {
      const where = t.file ? paint('gray', `  ${t.file}${t.line ? `:${t.line}` : ''}`) : '';
      out.push(`  ${String(ti + 1).padStart(2)}. ${t.handler ? 'HANDLER ' : ''}${paint('bold', t.name)}${where}`);
      for (const e of t.hosts) out.push(...hostLines(e, paint, play.batches.length > 1, opts.diff === true));
    });
  });
  return `${out.join('\n')}\n`;
}

function hostLines(e: PlanHostEntry, paint: Paint, showBatch: boolean, diff: boolean): string[] {
  const lines: string[] = [];
  const mark = e.destructive.length && e.status !== 'skip' ? paint('red', '⚠ ') : '  ';
  const batch = showBatch ? paint('gray', ` [batch ${e.batch + 1}]`) : '';
  const on = e.runOn && e.runOn !== e.host ? paint('gray', ` → runs on ${e.runOn}`) : '';
  const item = e.item !== undefined ? paint('gray', ` item=${JSON.stringify(e.item)}`) : '';
  const reason = e.reason ? paint('gray', ` (${e.reason})`) : '';
  lines.push(`      ${mark}${e.host.padEnd(12)} ${paint(statusColor(e.status), WORD[e.status])}${batch}${on}${item}${reason}`);
  if (e.status === 'skip') return lines;
  for (const st of e.steps) {
    const d = st.destructive ? paint('red', ` ⚠ ${st.destructive}`) : '';
    const become = st.become ? paint('gray', ' [sudo]') : '';
    lines.push(`            ${paint('cyan', '$')} ${st.text}${become}${d}`);
  }
  for (const n of e.notes ?? []) lines.push(paint('gray', `            · ${n}`));
  if (diff) for (const d of e.diff ?? []) lines.push(...unifiedDiff(d.path, d.before, d.after).map((l) => `            ${colorDiff(l, paint)}`));
  return lines;
}

function colorDiff(l: string, paint: Paint): string {
  if (l.startsWith('+') && !l.startsWith('+++')) return paint('green', l);
  if (l.startsWith('-') && !l.startsWith('---')) return paint('red', l);
  return l;
}

/** A small line diff (LCS) in unified style, good for config files. */
export function unifiedDiff(path: string, before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return [`--- ${path}`, `+++ ${path}`, `(file too large to diff: ${n} → ${m} lines)`];
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (dp[i] as number[])[j] = a[i] === b[j] ? ((dp[i + 1] as number[])[j + 1] as number) + 1 : Math.max((dp[i + 1] as number[])[j] as number, (dp[i] as number[])[j + 1] as number);
  const out = [`--- ${path} (before)`, `+++ ${path} (after)`];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(` ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i >= n || ((dp[i] as number[])[j + 1] as number) >= ((dp[i + 1] as number[])[j] as number))) {
      out.push(`+${b[j]}`);
      j++;
    } else {
      out.push(`-${a[i]}`);
      i++;
    }
  }
  return out;
}
