import type { Plan, PlanHostEntry, PlanStatus } from './types.js';

const FILL: Record<PlanStatus, string> = {
  change: '#f5b301',
  ok: '#3fb950',
  skip: '#d0d7de',
  unknown: '#a371f7',
  fail: '#f85149',
};
const LABEL: Record<PlanStatus, string> = {
  change: 'will change',
  ok: 'no change',
  skip: 'skipped',
  unknown: 'unknown until run',
  fail: 'will fail',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Col {
  play: number;
  name: string;
  where: string;
  byHost: Map<string, PlanHostEntry[]>;
}

/**
 * A picture of the plan: one self-contained HTML page with an SVG timeline — tasks left to right in run order,
 * one row per host, each cell coloured by what will happen, destructive steps outlined in red with a ⚠ — and
 * the full table of commands below it. No scripts, no external resources.
 */
export function renderPlanHtml(plan: Plan): string {
  const hosts: string[] = [];
  for (const p of plan.plays) for (const h of p.hosts) if (!hosts.includes(h)) hosts.push(h);
  const cols: Col[] = [];
  plan.plays.forEach((p, pi) => {
    for (const t of p.tasks) {
      const byHost = new Map<string, PlanHostEntry[]>();
      for (const e of t.hosts) byHost.set(e.host, [...(byHost.get(e.host) ?? []), e]);
      cols.push({ play: pi, name: t.name, where: t.file ? `${t.file}:${t.line ?? ''}` : '', byHost });
    }
  });
  const cw = 26;
  const rh = 26;
  const left = Math.max(90, ...hosts.map((h) => h.length * 8 + 20));
  const top = 200;
  const width = left + cols.length * cw + 20;
  const height = top + hosts.length * rh + 20;
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Plan timeline">`,
    '<style>text{font:12px ui-monospace,monospace;fill:#24292f}.t{font-size:11px}</style>',
  ];
  // play bands
  let x0 = left;
  plan.plays.forEach((p, pi) => {
    const n = cols.filter((c) => c.play === pi).length;
    if (n === 0) return;
    svg.push(`<rect x="${x0}" y="${top - 22}" width="${n * cw}" height="18" fill="${pi % 2 ? '#eaeef2' : '#ddf4ff'}"/>`);
    svg.push(`<text x="${x0 + 3}" y="${top - 9}" class="t">${esc(p.name.slice(0, Math.max(3, Math.floor((n * cw) / 7))))}</text>`);
    x0 += n * cw;
  });
  cols.forEach((c, ci) => {
    const x = left + ci * cw + cw / 2;
    svg.push(`<text x="${x}" y="${top - 28}" class="t" transform="rotate(-55 ${x} ${top - 28})">${esc(`${ci + 1}. ${c.name}`.slice(0, 34))}</text>`);
  });
  hosts.forEach((h, hi) => {
    const y = top + hi * rh;
    svg.push(`<text x="6" y="${y + 17}">${esc(h)}</text>`);
    cols.forEach((c, ci) => {
      const entries = c.byHost.get(h);
      const x = left + ci * cw;
      if (!entries) {
        svg.push(`<rect x="${x + 2}" y="${y + 2}" width="${cw - 4}" height="${rh - 4}" fill="#f6f8fa" stroke="#eaeef2"/>`);
        return;
      }
      const status = worst(entries.map((e) => e.status));
      const destructive = entries.some((e) => e.destructive.length > 0 && e.status !== 'skip');
      const tip = [`${c.name} on ${h}: ${LABEL[status]}`, ...entries.flatMap((e) => [...e.steps.map((s) => `$ ${s.text}`), ...(e.reason ? [e.reason] : [])])].join('\n');
      svg.push(
        `<g><title>${esc(tip)}</title><rect x="${x + 2}" y="${y + 2}" width="${cw - 4}" height="${rh - 4}" rx="3" fill="${FILL[status]}" stroke="${destructive ? '#cf222e' : 'none'}" stroke-width="${destructive ? 3 : 0}"/>` +
          (destructive ? `<text x="${x + cw / 2 - 4}" y="${y + 17}" style="font-weight:bold;fill:#82071e">!</text>` : '') +
          '</g>',
      );
    });
  });
  svg.push('</svg>');
  const s = plan.summary;
  const legend = (Object.keys(FILL) as PlanStatus[])
    .map((k) => `<span class="lg"><i style="background:${FILL[k]}"></i>${LABEL[k]}</span>`)
    .join('') + '<span class="lg"><i style="background:#fff;outline:3px solid #cf222e"></i>destructive</span>';
  const rows = plan.plays
    .flatMap((p, pi) =>
      p.tasks.flatMap((t) =>
        t.hosts.map(
          (e) =>
            `<tr class="${e.status}"><td>${pi + 1}</td><td>${esc(t.name)}</td><td>${esc(e.host)}${e.runOn && e.runOn !== e.host ? ` → ${esc(e.runOn)}` : ''}</td><td>${e.destructive.length && e.status !== 'skip' ? '⚠ ' : ''}${LABEL[e.status]}</td><td>${[
              ...e.steps.map((st) => `<code>${esc(st.text)}</code>${st.destructive ? ` <b class="d">⚠ ${esc(st.destructive)}</b>` : ''}`),
              ...(e.reason ? [`<em>${esc(e.reason)}</em>`] : []),
            ].join('<br>')}</td></tr>`,
        ),
      ),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lifeboat plan: ${esc(plan.inputs.playbooks.join(', '))}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#24292f}
h1{font-size:20px}.sum b{font-size:18px;margin-right:4px}.sum span{margin-right:18px}
.lg{margin-right:14px}.lg i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left}
code{font-size:12px;white-space:pre-wrap}.d{color:#cf222e}tr.skip{color:#8c959f}
</style></head><body>
<h1>Lifeboat plan: ${esc(plan.inputs.playbooks.join(', '))}</h1>
<p class="sum" id="summary"><span><b>${s.hosts}</b>hosts</span><span><b>${s.tasks}</b>tasks</span><span><b>${s.changes}</b>changes</span><span class="d"><b>${s.destructive}</b>destructive steps</span><span><b>${s.unknown}</b>unknown until run</span><span><b>${s.skipped}</b>skipped</span></p>
<p>${legend}</p>
<div id="timeline">${svg.join('\n')}</div>
<table><thead><tr><th>play</th><th>task</th><th>host</th><th>status</th><th>commands</th></tr></thead><tbody>
${rows}
</tbody></table>
<p style="color:#57606a">Made ${esc(plan.createdAt)} by Lifeboat ${esc(plan.lifeboat)} · inputs ${plan.inputs.hash.slice(0, 12)} · facts ${plan.factsHash.slice(0, 12)}</p>
</body></html>
`;
}

function worst(ss: PlanStatus[]): PlanStatus {
  for (const s of ['fail', 'change', 'unknown', 'ok', 'skip'] as const) if (ss.includes(s)) return s;
  return 'skip';
}
