import { reasonText } from './text-common.js';
import type { Plan, PlanHostEntry, PlanStatus } from '../plan-types.js';

export const FILL: Record<PlanStatus, string> = {
  change: '#f5b301',
  ok: '#3fb950',
  skip: '#eaeef2',
  unknown: '#a371f7',
  fail: '#f85149',
};
export const LABEL: Record<PlanStatus, string> = {
  change: 'will change',
  ok: 'no change',
  skip: 'skipped',
  unknown: 'unknown until run',
  fail: 'will fail',
};
const CELL: Record<PlanStatus, string> = { change: 'change', ok: 'ok', skip: 'skip', unknown: '?', fail: 'FAIL' };
export const RED = '#cf222e';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

type Row = { kind: 'band'; text: string } | { kind: 'task'; n: string; name: string; byHost: Map<string, PlanHostEntry[]>; only?: string[] };

/**
 * The plan as a timeline, top to bottom in run order: one row per task (per serial batch: a batch's tasks all
 * run before the next batch starts), one column per host. Each cell is coloured by what will happen there;
 * destructive cells get a thick red frame and a ⚠, and the row says what they destroy.
 */
export function timelineSvg(plan: Plan): string {
  const hosts: string[] = [];
  for (const p of plan.plays) for (const h of p.hosts) if (!hosts.includes(h)) hosts.push(h);
  const rows: Row[] = [];
  plan.plays.forEach((p, pi) => {
    const batches = p.batches.length ? p.batches : [p.hosts];
    batches.forEach((b, bi) => {
      rows.push({ kind: 'band', text: `Play ${pi + 1}: ${p.name}${batches.length > 1 ? ` — batch ${bi + 1} of ${batches.length}: ${b.join(', ')}` : ''}` });
      p.tasks.forEach((t, ti) => {
        const byHost = new Map<string, PlanHostEntry[]>();
        for (const e of t.hosts) if (b.includes(e.host)) byHost.set(e.host, [...(byHost.get(e.host) ?? []), e]);
        if (byHost.size) rows.push({ kind: 'task', n: plan.plays.length > 1 ? `${pi + 1}.${ti + 1}` : `${ti + 1}`, name: t.name, byHost });
      });
    });
  });
  const nameW = 470;
  const cw = Math.max(92, ...hosts.map((h) => h.length * 8 + 16));
  const whatW = 330;
  const rh = 24;
  const top = 34;
  const width = nameW + hosts.length * cw + whatW;
  const height = top + rows.length * rh + 8;
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Plan timeline: tasks top to bottom, hosts left to right">`,
    '<style>text{font:13px system-ui,sans-serif;fill:#24292f}.m{font:12px ui-monospace,monospace}.c{font:bold 12px system-ui,sans-serif;text-anchor:middle}.h{font-weight:bold;text-anchor:middle}.b{font-weight:bold;fill:#0969da}.x{fill:#82071e;font-weight:bold}.w{fill:#82071e;font-size:12px}.s{fill:#8c959f}</style>',
  ];
  hosts.forEach((h, hi) => {
    svg.push(`<text x="${nameW + hi * cw + cw / 2}" y="22" class="h">${esc(h)}</text>`);
  });
  svg.push(`<text x="${nameW + hosts.length * cw + 10}" y="22" class="x">what it destroys</text>`);
  rows.forEach((r, ri) => {
    const y = top + ri * rh;
    if (r.kind === 'band') {
      svg.push(`<rect x="0" y="${y + 1}" width="${width}" height="${rh - 2}" fill="#ddf4ff"/><text x="6" y="${y + 17}" class="b">${esc(r.text)}</text>`);
      return;
    }
    const all = [...r.byHost.values()].flat();
    const destroys = [...new Set(all.filter((e) => e.status !== 'skip').flatMap((e) => e.destructive))];
    const skipped = all.every((e) => e.status === 'skip');
    svg.push(`<g><title>${esc(`${r.n}. ${r.name}`)}</title><text x="6" y="${y + 17}" class="${destroys.length ? 'x' : skipped ? 's' : ''}">${esc(clip(`${r.n.padStart(2)}. ${destroys.length ? '⚠ ' : ''}${r.name}`, destroys.length ? 54 : 64))}</text></g>`);
    hosts.forEach((h, hi) => {
      const x = nameW + hi * cw;
      const es = r.byHost.get(h);
      if (!es) return;
      svg.push(cell(x, y, cw, rh, h, r.name, es));
    });
    if (destroys.length) svg.push(`<text x="${nameW + hosts.length * cw + 10}" y="${y + 17}" class="w">${esc(clip(destroys.join('; '), 44))}</text>`);
  });
  svg.push('</svg>');
  return svg.join('\n');
}

function cell(x: number, y: number, cw: number, rh: number, host: string, task: string, es: PlanHostEntry[]): string {
  const status = worst(es.map((e) => e.status));
  const destructive = es.some((e) => e.destructive.length > 0 && e.status !== 'skip');
  const runOn = es.find((e) => e.runOn && e.runOn !== e.host)?.runOn;
  const label = `${destructive ? '⚠ ' : ''}${runOn && status !== 'skip' ? `→ ${runOn}` : CELL[status]}${es.length > 1 ? ` ×${es.length}` : ''}`;
  const tip = [
    `${task} on ${host}: ${LABEL[status]}`,
    ...es.flatMap((e) => [...e.steps.map((s) => `$ ${s.text}${s.destructive ? `  ⚠ ${s.destructive}` : ''}`), ...(reasonText(e) ? [reasonText(e)] : [])]),
  ].join('\n');
  const fg = status === 'skip' ? '#8c959f' : status === 'change' ? '#3d2a00' : '#ffffff';
  return (
    `<g><title>${esc(tip)}</title><rect x="${x + 3}" y="${y + 2}" width="${cw - 6}" height="${rh - 4}" rx="3" fill="${FILL[status]}" stroke="${destructive ? RED : 'none'}" stroke-width="${destructive ? 3 : 0}"/>` +
    `<text x="${x + cw / 2}" y="${y + 16}" class="c" style="fill:${destructive ? '#82071e' : fg}">${esc(label)}</text></g>`
  );
}

function worst(ss: PlanStatus[]): PlanStatus {
  for (const s of ['fail', 'change', 'unknown', 'ok', 'skip'] as const) if (ss.includes(s)) return s;
  return 'skip';
}
