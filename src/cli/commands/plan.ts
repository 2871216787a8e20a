import { makePlan, renderPlanHtml, renderPlanMarkdown, renderPlanText } from '../../planner/index.js';
import { colorEnabled, painter } from '../../reporters/color.js';
import { writeFileMasked } from '../../secrets.js';
import { LifeboatError } from '../../errors.js';
import { CONNECT_OPTS, ENV_FOOTER, INVENTORY_OPTS, RUN_OPTS } from '../common.js';
import { EXIT } from '../../executor/exit-code.js';
import type { Io } from '../io.js';
import { version } from '../version.js';
import { openSession, plannerSession } from '../session.js';
import { bool, type CommandSpec, type Parsed, str } from '../spec.js';

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

export async function planCommand(p: Parsed, io: Io): Promise<number> {
  const v = p.values;
  const format = str(v, 'format') ?? 'text';
  if (!['text', 'json', 'markdown', 'html'].includes(format)) {
    throw new LifeboatError('E_USAGE', `--format must be text, json, markdown or html (got "${format}")`);
  }
  const session = await openSession(v, p.positionals, io);
  const made = await makePlan(plannerSession(session, v), { offline: bool(v, 'offline'), progress: bool(v, 'progress'), lifeboat: version() });
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
