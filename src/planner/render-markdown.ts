import type { Plan, PlanStatus } from './types.js';
import { unifiedDiff } from './diff.js';
import { reasonText } from './text-common.js';

const WORD: Record<PlanStatus, string> = {
  change: '**will change**',
  ok: 'no change',
  skip: 'skip',
  unknown: '_unknown until run_',
  fail: '**will fail**',
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');

/** A plan for a change ticket: summary, then one table per play (task, host, status, commands). */
export function renderPlanMarkdown(plan: Plan, opts: { diff?: boolean } = {}): string {
  const s = plan.summary;
  const out: string[] = [];
  out.push(`# Lifeboat plan: ${plan.inputs.playbooks.map((p) => `\`${p}\``).join(', ')}`, '');
  out.push(`Made ${plan.createdAt} by Lifeboat ${plan.lifeboat}; inputs \`${plan.inputs.hash.slice(0, 12)}\`, facts \`${plan.factsHash.slice(0, 12)}\`.`, '');
  out.push('| hosts | tasks | changes | destructive steps | unknown until run | skipped |', '|---|---|---|---|---|---|');
  out.push(`| ${s.hosts} | ${s.tasks} | ${s.changes} | ${s.destructive} | ${s.unknown} | ${s.skipped} |`, '');
  for (const w of plan.warnings) out.push(`> **Warning:** ${w}`, '');
  plan.plays.forEach((play, pi) => {
    out.push(`## Play ${pi + 1}: ${play.name}`, '', `Hosts: ${play.hosts.join(', ')}`, '');
    if (play.batches.length > 1) out.push(...play.batches.map((b, i) => `- batch ${i + 1}: ${b.join(', ')}`), '');
    out.push('| # | task | host | status | commands / changes |', '|---|---|---|---|---|');
    play.tasks.forEach((t, ti) => {
      for (const e of t.hosts) {
        const warn = e.destructive.length && e.status !== 'skip' ? '⚠️ ' : '';
        const steps = e.status === 'skip' ? reasonText(e.reason) : [...e.steps.map((st) => `\`${st.text}\`${st.destructive ? ` ⚠️ ${st.destructive}` : ''}`), ...(e.reason ? [`_${reasonText(e.reason)}_`] : []), ...(e.notes ?? [])].join('\n');
        const host = e.runOn && e.runOn !== e.host ? `${e.host} → ${e.runOn}` : e.host;
        out.push(`| ${ti + 1} | ${cell(t.name)} | ${cell(host)} | ${warn}${WORD[e.status]} | ${cell(steps)} |`);
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
