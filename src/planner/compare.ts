import type { Plan, PlanHostEntry } from '../plan-types.js';

/**
 * What differs between a saved plan and the same plan made now (re-probed): per play, task and host, the
 * status, the steps or the probe notes. Empty when the present still matches the plan.
 */
export function diffPlans(saved: Plan, now: Plan): string[] {
  const out: string[] = [];
  const key = (p: number, t: number, e: PlanHostEntry) => `${p}/${t}/${e.host}/${JSON.stringify(e.item ?? null)}`;
  const index = (plan: Plan) => {
    const m = new Map<string, { task: string; e: PlanHostEntry }>();
    plan.plays.forEach((p, pi) => {
      p.tasks.forEach((t, ti) => {
        for (const e of t.hosts) m.set(key(pi, ti, e), { task: t.name, e });
      });
    });
    return m;
  };
  const a = index(saved);
  const b = index(now);
  for (const [k, { task, e }] of a) {
    const n = b.get(k);
    if (!n) {
      out.push(`task "${task}" on ${e.host}: planned, but no longer part of the run`);
      continue;
    }
    if (n.e.status !== e.status) out.push(`task "${task}" on ${e.host}: was "${e.status}", now "${n.e.status}"`);
    const sa = e.steps.map((s) => s.text);
    const sb = n.e.steps.map((s) => s.text);
    if (JSON.stringify(sa) !== JSON.stringify(sb)) {
      out.push(`task "${task}" on ${e.host}: commands differ\n    planned: ${sa.join(' ; ') || '(none)'}\n    now:     ${sb.join(' ; ') || '(none)'}`);
    }
    for (const d of fileChanges(e, n.e)) out.push(`task "${task}" on ${e.host}: ${d}`);
    if (JSON.stringify(e.notes ?? []) !== JSON.stringify(n.e.notes ?? [])) {
      out.push(`task "${task}" on ${e.host}: probed facts differ\n    planned: ${(e.notes ?? []).join(' ; ')}\n    now:     ${(n.e.notes ?? []).join(' ; ')}`);
    }
  }
  for (const [k, { task, e }] of b) if (!a.has(k)) out.push(`task "${task}" on ${e.host}: not in the plan, but would run now`);
  return out;
}

/** Files whose probed content (the diff's "before") or planned content ("after") differs between the plans. */
function fileChanges(a: PlanHostEntry, b: PlanHostEntry): string[] {
  const out: string[] = [];
  const now = new Map((b.diff ?? []).map((d) => [d.path, d]));
  for (const d of a.diff ?? []) {
    const n = now.get(d.path);
    if (!n) out.push(`${d.path}: the plan changed it, now it needs no change`);
    else if (n.before !== d.before) out.push(`${d.path} on the host changed since the plan (its content is not what the plan compared)`);
    else if (n.after !== d.after) out.push(`${d.path}: the content to write differs from the plan's`);
    now.delete(d.path);
  }
  for (const p of now.keys()) out.push(`${p}: now needs a change the plan did not show`);
  return out;
}
