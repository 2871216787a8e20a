import type { Paint } from '../reporters/color.js';
import { hostList, isDestructive, reasonText, shortPath, type TextOpts, wrap } from './text-common.js';
import type { Plan } from '../plan-types.js';

interface Row {
  n: string;
  task: string;
  hosts: string[];
  what: string[];
}

/**
 * The top of the terminal view, one screen: counts, then every destructive step (task, hosts, what it
 * destroys), what will fail, and what cannot be known before the run.
 */
export function summaryLines(plan: Plan, paint: Paint, opts: TextOpts): string[] {
  const width = opts.width ?? 120;
  const s = plan.summary;
  const out: string[] = [];
  const when = plan.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  out.push(paint('bold', `Lifeboat plan · ${plan.inputs.playbooks.map((f) => shortPath(f, opts.cwd)).join(', ')}`) + paint('gray', ` · made ${when}${plan.offline ? ' · OFFLINE' : ''}`));
  let willRun = 0;
  for (const p of plan.plays) for (const t of p.tasks) for (const e of t.hosts) if (e.status === 'unknown' && e.steps.length) willRun++;
  const counts = [
    `${s.hosts} host(s)`,
    `${s.tasks} task(s)`,
    paint('yellow', `${s.changes} change(s)`),
    s.destructive ? paint('red', paint('bold', `${s.destructive} DESTRUCTIVE`)) : '0 destructive',
    ...(willRun ? [paint('yellow', `${willRun} command run(s) whose outcome shows at run time`)] : []),
    paint('magenta', `${s.unknown - willRun} unknown until run`),
    `${s.skipped} skipped`,
    s.failed ? paint('red', paint('bold', `${s.failed} WILL FAIL`)) : '0 will fail',
  ];
  out.push(`  ${counts.join(' · ')}`);
  if (plan.offline) out.push(paint('yellow', '  offline: no host was probed; what needs a look at a host is "unknown until run"'));
  for (const w of plan.warnings) out.push(paint('yellow', `  warning: ${w}`));

  const destructive: Row[] = [];
  const failing: Row[] = [];
  const unknown: Row[] = [];
  plan.plays.forEach((p, pi) => {
    p.tasks.forEach((t, ti) => {
      const n = plan.plays.length > 1 ? `${pi + 1}.${ti + 1}` : `${ti + 1}`;
      const add = (rows: Row[], host: string, what: string[]) => {
        const r = rows.find((x) => x.n === n) ?? rows[rows.push({ n, task: t.name, hosts: [], what: [] }) - 1];
        if (!r) return;
        if (!r.hosts.includes(host)) r.hosts.push(host);
        for (const w of what) if (!r.what.includes(w)) r.what.push(w);
      };
      for (const e of t.hosts) {
        if (isDestructive(e)) add(destructive, e.host, e.destructive);
        if (e.status === 'fail') add(failing, e.host, [reasonText(e).split('\n')[0] ?? '']);
        if (e.status === 'unknown' && e.steps.length === 0 && !(e.runOn && e.runOn !== e.host)) add(unknown, e.host, [reasonText(e)]);
      }
    });
  });
  const section = (title: string, rows: Row[], style: 'red' | 'magenta', max: number) => {
    if (rows.length === 0) return;
    out.push('', paint(style, paint('bold', title)));
    for (const r of rows.slice(0, max)) {
      out.push(`  ${paint(style, `${r.n.padStart(4)}  ${r.task}`)}`);
      // What a destructive step destroys is never cut: it wraps.
      const [first = '', ...more] = wrap(`on ${hostList(r.hosts)}: ${r.what.join('; ')}`, Math.max(40, width - 10));
      out.push(`        ${first}`, ...more.map((l) => `          ${l}`));
    }
    if (rows.length > max) out.push(paint('gray', `        … ${rows.length - max} more below`));
  };
  section(`⚠ DESTRUCTIVE STEPS in ${destructive.length} task(s) — read them before you apply:`, destructive, 'red', 12);
  section(`✗ WILL FAIL in ${failing.length} task(s):`, failing, 'red', 6);
  section(`? UNKNOWN UNTIL RUN in ${unknown.length} task(s):`, unknown, 'magenta', 6);
  return out;
}
