import { esc, FILL, LABEL, RED, timelineSvg } from './html-timeline.js';
import { isDestructive, reasonText, shortPath } from './text-common.js';
import type { Plan, PlanStatus } from '../plan-types.js';

/**
 * A picture of the plan: one self-contained HTML page (no scripts, no external resources) — the counts, every
 * destructive step, an SVG timeline (tasks top to bottom in run order, one column per host, cells coloured by
 * what will happen, destructive ones framed in red with a ⚠) and the full table of commands below it.
 */
export function renderPlanHtml(plan: Plan): string {
  const s = plan.summary;
  const title = plan.inputs.playbooks.map((f) => shortPath(f)).join(', ');
  const legend = `${(Object.keys(FILL) as PlanStatus[]).map((k) => `<span class="lg"><i style="background:${FILL[k]}"></i>${LABEL[k]}</span>`).join('')}<span class="lg"><i style="background:#fff;outline:3px solid ${RED}"></i>⚠ destructive</span><span class="lg">→ host: runs there (run_once / delegate_to)</span>`;
  const danger: string[] = [];
  plan.plays.forEach((p, pi) => {
    p.tasks.forEach((t, ti) => {
      const es = t.hosts.filter(isDestructive);
      if (!es.length) return;
      const what = [...new Set(es.flatMap((e) => e.destructive))];
      danger.push(`<li><b>${plan.plays.length > 1 ? `${pi + 1}.` : ''}${ti + 1}. ${esc(t.name)}</b> on ${esc([...new Set(es.map((e) => e.host))].join(', '))}: ${esc(what.join('; '))}</li>`);
    });
  });
  const rows: string[] = [];
  plan.plays.forEach((p, pi) => {
    rows.push(`<tr class="band"><td colspan="4">Play ${pi + 1}: ${esc(p.name)}${p.batches.length > 1 ? ` — serial batches: ${esc(p.batches.map((b) => `[${b.join(' ')}]`).join(' '))}` : ''}</td></tr>`);
    p.tasks.forEach((t, ti) => {
      t.hosts.forEach((e, ei) => {
        const cmds = [
          ...e.steps.map((st) => `<code>${esc(st.text)}</code>${st.destructive ? `<br><b class="d">⚠ DESTRUCTIVE: ${esc(st.destructive)}</b>` : ''}`),
          ...(reasonText(e) ? [`<em>${esc(reasonText(e))}</em>`] : []),
          ...(e.notes ?? []).map((n) => `<span class="n">${esc(n)}</span>`),
        ].join('<br>');
        const name = ei === 0 ? `<td rowspan="${t.hosts.length}" class="${t.hosts.some(isDestructive) ? 'd' : ''}">${ti + 1}. ${esc(t.name)}</td>` : '';
        const host = `${esc(e.host)}${e.runOn && e.runOn !== e.host ? ` → ${esc(e.runOn)}` : ''}${e.item !== undefined ? `<br><small>${esc(JSON.stringify(e.item))}</small>` : ''}`;
        rows.push(`<tr class="${e.status}">${name}<td>${host}</td><td>${isDestructive(e) ? '⚠ ' : ''}${LABEL[e.status]}</td><td>${cmds}</td></tr>`);
      });
    });
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lifeboat plan: ${esc(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:20px;color:#24292f;max-width:1400px}
h1{font-size:20px;margin:0 0 8px}.sum b{font-size:18px;margin-right:4px}.sum span{margin-right:18px}
.lg{margin-right:14px;white-space:nowrap}.lg i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.danger{border:2px solid ${RED};background:#ffebe9;padding:6px 14px;margin:10px 0}.danger h2{color:${RED};font-size:15px;margin:4px 0}
.danger ul{margin:4px 0;padding-left:18px}
table{border-collapse:collapse;margin-top:16px;width:100%}td,th{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left}
code{font-size:12px;white-space:pre-wrap;word-break:break-all}.d{color:${RED}}.n{color:#57606a;font-size:12px}
tr.skip{color:#8c959f}tr.band td{background:#ddf4ff;font-weight:bold}
</style></head><body>
<h1>Lifeboat plan: ${esc(title)}</h1>
<p class="sum" id="summary"><span><b>${s.hosts}</b>hosts</span><span><b>${s.tasks}</b>tasks</span><span><b>${s.changes}</b>changes</span><span class="d"><b>${s.destructive}</b>destructive steps</span><span><b>${s.unknown}</b>unknown until run</span><span><b>${s.skipped}</b>skipped</span>${s.failed ? `<span class="d"><b>${s.failed}</b>will fail</span>` : ''}</p>
${plan.offline ? '<p class="d">Offline plan: no host was probed.</p>' : ''}${plan.warnings.map((w) => `<p class="d">Warning: ${esc(w)}</p>`).join('')}
${danger.length ? `<div class="danger"><h2>⚠ Destructive steps — read them before you apply</h2><ul>${danger.join('')}</ul></div>` : ''}
<p>${legend}</p>
<div id="timeline">${timelineSvg(plan)}</div>
<table><thead><tr><th>task</th><th>host</th><th>status</th><th>commands</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<p style="color:#57606a">Made ${esc(plan.createdAt)} by Lifeboat ${esc(plan.lifeboat)} · inputs ${plan.inputs.hash.slice(0, 12)} · facts ${plan.factsHash.slice(0, 12)}</p>
</body></html>
`;
}
