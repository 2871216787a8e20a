import type { RunSummary } from '../../executor/index.js';
import { runPlaybooks } from '../../executor/index.js';
import { buildPlan, computeInputs, type Plan, renderPlanHtml, renderPlanMarkdown, renderPlanText, withRunStamp } from '../../planner/index.js';
import { colorEnabled, painter } from '../../reporters/color.js';
import { CollectReporter, createReporter, TeeReporter } from '../../reporters/index.js';
import { writeFileMasked } from '../../secrets.js';
import { LifeboatError } from '../../errors.js';
import { CONNECT_OPTS, ENV_FOOTER, INVENTORY_OPTS, RUN_OPTS } from '../common.js';
import { EXIT } from '../../executor/exit-code.js';
import type { Io } from '../io.js';
import { version } from '../version.js';
import { interruptSignal, openSession, runOptionsFor, type Session } from '../session.js';
import { bool, type CommandSpec, type Parsed, str, strs } from '../spec.js';
import { splitCsv } from './split.js';

export const planSpec: CommandSpec = {
  name: 'plan',
  summary: 'Show exactly what a run would do — every step on every host, in order — changing nothing.',
  usage: 'lifeboat plan -i INVENTORY [options] PLAYBOOK...',
  options: [
    ...INVENTORY_OPTS,
    ...RUN_OPTS,
    { name: 'format', type: 'string', default: 'text', valueName: 'FMT', desc: 'text | json | markdown | html' },
    { name: 'out', short: 'o', type: 'string', valueName: 'FILE', desc: 'Also save the plan as JSON, for `lifeboat apply FILE`' },
    { name: 'diff', short: 'D', type: 'boolean', desc: 'Show content diffs of copy/template/lineinfile/file changes' },
    { name: 'offline', type: 'boolean', desc: 'Connect to no host: plan from the inventory and playbooks alone' },
    { name: 'progress', type: 'boolean', desc: 'Show the probes as they run (on stderr)' },
    ...CONNECT_OPTS,
  ],
  examples: [
    'lifeboat plan -i inventories/prod playbooks/etcd-restore.yml',
    'lifeboat plan -i inventories/prod playbooks/etcd-restore.yml --out restore.plan.json && lifeboat apply restore.plan.json',
    'lifeboat plan -i inventories/prod playbooks/etcd-restore.yml --format html > plan.html',
    'lifeboat plan -i hosts site.yml --format markdown --diff > CHANGE-1234.md',
  ],
  footer: `The plan only runs read-only probes on the hosts (facts, stat, checksums, etcd status).\n\n${ENV_FOOTER}`,
};

export interface PlanRun {
  plan: Plan;
  summary: RunSummary;
}

/** Plan mode of the executor (the same walk and module code as a run), assembled into a Plan. */
export async function makePlan(
  session: Session,
  v: Parsed['values'],
  offline: boolean,
  progress: boolean,
  now = new Date(),
  keepConnections = false,
): Promise<PlanRun> {
  const collect = new CollectReporter();
  const io = session.io;
  const reporter = progress ? new TeeReporter([collect, createReporter({ json: false, output: 'plain', stdout: io.err, stderr: io.err })]) : collect;
  const intr = interruptSignal(io.err);
  const tags = splitCsv(strs(v, 'tags'));
  const skipTags = splitCsv(strs(v, 'skip-tags'));
  const limit = str(v, 'limit');
  try {
    const summary = await runPlaybooks({
      ...runOptionsFor(session, v, reporter, intr.signal),
      extraVars: withRunStamp(session.extraVars, now),
      check: true,
      offline,
      diff: true,
    });
    const inputs = computeInputs({ ...session, limit, tags, skipTags });
    const plan = buildPlan(collect.events, { inputs, lifeboat: version(), offline, now });
    return { plan, summary };
  } finally {
    intr.dispose();
    if (!keepConnections) await session.pool.closeAll();
    await reporter.close();
  }
}

export async function planCommand(p: Parsed, io: Io): Promise<number> {
  const v = p.values;
  const format = str(v, 'format') ?? 'text';
  if (!['text', 'json', 'markdown', 'html'].includes(format)) {
    throw new LifeboatError('E_USAGE', `--format must be text, json, markdown or html (got "${format}")`);
  }
  const session = await openSession(v, p.positionals, io);
  const made = await makePlan(session, v, bool(v, 'offline'), bool(v, 'progress'));
  const summary = made.summary;
  // Every format and the --out file are made from one copy masked with every secret known at the end of the
  // walk (a secret found mid-run is masked in entries made before it was known), before anything is serialised.
  const plan = session.secrets.maskDeep(made.plan);
  const out = str(v, 'out');
  if (out) writeFileMasked(out, `${JSON.stringify(plan, null, 2)}\n`, session.secrets);
  const diff = bool(v, 'diff');
  let text: string;
  if (format === 'json') text = `${JSON.stringify(plan, null, 2)}\n`;
  else if (format === 'markdown') text = renderPlanMarkdown(plan, { diff });
  else if (format === 'html') text = renderPlanHtml(plan);
  else text = renderPlanText(plan, painter(colorEnabled(io.out)), { diff, width: io.out.columns || 120 });
  io.out.write(text);
  if (out) io.err.write(`Plan saved to ${out}. Run exactly this plan with: lifeboat apply ${out}\n`);
  else if (format === 'text') io.err.write('To run exactly this plan (refused if anything changes meanwhile): add --out FILE, then lifeboat apply FILE\n');
  // A plan that shows WILL FAIL exits 2 even when the walk itself ended ok (e.g. the failure was ignored).
  if (summary.exitCode === EXIT.OK && plan.summary.failed > 0) return EXIT.TASK_FAILED;
  return summary.exitCode;
}
