import { shellJoin } from '../../connection/quote.js';
import { runPlaybooks } from '../../executor/index.js';
import type { ResumeHint } from '../../modules/types.js';
import { createReporter } from '../../reporters/index.js';
import type { Io } from '../io.js';
import { CONNECT_OPTS, ENV_FOOTER, INVENTORY_OPTS, OUTPUT_OPTS, RUN_OPTS } from '../common.js';
import { interruptSignal, openSession, runOptionsFor } from '../session.js';
import { bool, type CommandSpec, int, type Parsed, str } from '../spec.js';

export const runSpec: CommandSpec = {
  name: 'run',
  summary: 'Run playbooks against the hosts of an inventory.',
  usage: 'lifeboat run -i INVENTORY [options] PLAYBOOK...',
  options: [
    ...INVENTORY_OPTS,
    ...RUN_OPTS,
    { name: 'check', short: 'C', type: 'boolean', desc: 'Change nothing: show the plan instead (same as `lifeboat plan`)' },
    { name: 'diff', short: 'D', type: 'boolean', desc: 'With --check: show content diffs of file changes' },
    ...CONNECT_OPTS,
    ...OUTPUT_OPTS,
  ],
  examples: [
    'lifeboat run -i inventories/prod playbooks/etcd-backup.yml',
    'lifeboat run -i inventories/prod playbooks/etcd-restore.yml -e snapshot=backups/prod-etcd-1-20261122T010000Z.db',
    'lifeboat run -i hosts -l kube_master --json site.yml > events.ndjson',
  ],
  footer: ENV_FOOTER,
};


/** The exact command that continues a run that ended early: the same arguments plus the hint's variables. */
export function resumeMessage(r: ResumeHint, argv: string[]): string {
  const extra = Object.entries(r.vars).flatMap(([k, val]) => ['-e', `${k}=${val}`]);
  return `${r.why}. To continue it (or roll it back when it cannot finish), run:\n  lifeboat ${shellJoin([...argv, ...extra])}`;
}

export async function runCommand(p: Parsed, io: Io): Promise<number> {
  const v = p.values;
  if (bool(v, 'check')) {
    const { planCommand } = await import('./plan.js');
    return planCommand(p, io);
  }
  int(v, 'forks', 1); // a bad --forks is a usage error before anything is loaded
  const session = await openSession(v, p.positionals, io);
  const output = (str(v, 'output') ?? 'auto') as 'auto' | 'listr' | 'plain' | 'none';
  const reporter = createReporter({ json: bool(v, 'json'), output, verbose: bool(v, 'verbose'), stdout: io.out, stderr: io.err });
  session.onWarning = (msg) => reporter.emit({ type: 'warning', ts: new Date().toISOString(), msg });
  const intr = interruptSignal(io.err);
  try {
    const summary = await runPlaybooks({ ...runOptionsFor(session, v, reporter, intr.signal), check: false, diff: bool(v, 'diff') });
    if (summary.resume) reporter.emit({ type: 'warning', ts: new Date().toISOString(), msg: resumeMessage(summary.resume, process.argv.slice(2)) });
    return summary.exitCode;
  } finally {
    intr.dispose();
    await session.pool.closeAll();
    await reporter.close();
  }
}
