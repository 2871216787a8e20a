import { unifiedDiff } from './diff.js';
import { isDestructive, reasonText, shortPath } from './text-common.js';
import type { Plan, PlanStatus } from '../plan-types.js';

const WORD: Record<PlanStatus, string> = {
  change: '**will change**',
  ok: 'no change',
  skip: 'skip',
  unknown: '_unknown until run_',
  fail: '**will fail**',
};

/** Text for a table cell: pipes and newlines would break the row. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
/** A command in a cell, kept exact: HTML code (backticks cannot hold line breaks or pipes in a table). */
const code = (s: string) =>
  `<code>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/\n/g, '<br>')}</code>`;

/** A plan for a change ticket: counts, the destructive steps, then one table per play (task, host, status, commands). */
export function renderPlanMarkdown(plan: Plan, opts: { diff?: boolean } = {}): string {
  const s = plan.summary;
  const out: string[] = [];
  out.push(`# Lifeboat plan: ${plan.inputs.playbooks.map((p) => `\`${shortPath(p)}\``).join(', ')}`, '');
  out.push(`Made ${plan.createdAt} by Lifeboat ${plan.lifeboat}; inputs \`${plan.inputs.hash.slice(0, 12)}\`, facts \`${plan.factsHash.slice(0, 12)}\`.${plan.offline ? ' **Offline: no host was probed.**' : ''}`, '');
  out.push('| hosts | tasks | changes | destructive steps | unknown until run | skipped | will fail |', '|---|---|---|---|---|---|---|');
  out.push(`| ${s.hosts} | ${s.tasks} | ${s.changes} | ${s.destructive} | ${s.unknown} | ${s.skipped} | ${s.failed} |`, '');
  for (const w of plan.warnings) out.push(`> **Warning:** ${w}`, '');
  const danger: string[] = [];
  plan.plays.forEach((p, pi) => {
    p.tasks.forEach((t, ti) => {
      const es = t.hosts.filter(isDestructive);
      if (!es.length) return;
      const n = plan.plays.length > 1 ? `${pi + 1}.${ti + 1}` : `${ti + 1}`;
      danger.push(`- **${n}. ${t.name}** on ${[...new Set(es.map((e) => e.host))].join(', ')}: ${[...new Set(es.flatMap((e) => e.destructive))].join('; ')}`);
    });
  });
  if (danger.length) out.push('## ⚠️ Destructive steps', '', ...danger, '');
  plan.plays.forEach((play, pi) => {
    out.push(`## Play ${pi + 1}: ${play.name}`, '', `Hosts: ${play.hosts.join(', ')}`, '');
    if (play.batches.length > 1) out.push(...play.batches.map((b, i) => `- batch ${i + 1}: ${b.join(', ')}`), '');
    out.push('| # | task | host | status | commands / changes |', '|---|---|---|---|---|');
    play.tasks.forEach((t, ti) => {
      for (const e of t.hosts) {
        const warn = isDestructive(e) ? '⚠️ ' : '';
        const steps =
          e.status === 'skip'
            ? cell(reasonText(e))
            : [
                ...e.steps.map((st) => `${code(st.text)}${st.destructive ? ` ⚠️ **${cell(st.destructive)}**` : ''}`),
                ...(reasonText(e) ? [`_${cell(reasonText(e))}_`] : []),
                ...(e.notes ?? []).map(cell),
              ].join('<br>');
        const host = `${e.host}${e.runOn && e.runOn !== e.host ? ` → ${e.runOn}` : ''}${e.item !== undefined ? ` (item ${JSON.stringify(e.item)})` : ''}${play.batches.length > 1 ? ` [batch ${e.batch + 1}]` : ''}`;
        out.push(`| ${ti + 1} | ${cell(t.name)} | ${cell(host)} | ${warn}${WORD[e.status]} | ${steps} |`);
      }
    });
    out.push('');
    if (opts.diff) {
      for (const t of play.tasks)
        for (const e of t.hosts)
          for (const d of e.diff ?? []) out.push(`### ${t.name} on ${e.host}: \`${d.path}\``, '', '```diff', ...unifiedDiff(d.path, d.before, d.after), '```', '');
    }
  });
  return `${out.join('\n')}\n`;
}
