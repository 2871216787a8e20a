import { readFileSync } from 'node:fs';
import { runPlaybooks } from '../../executor/index.js';
import { LifeboatError } from '../../errors.js';
import { computeInputs, diffInputs, diffPlans, type Plan, PLAN_SCHEMA } from '../../planner/index.js';
import { createReporter } from '../../reporters/index.js';
import { CONNECT_OPTS, ENV_FOOTER, OUTPUT_OPTS } from '../common.js';
import { EXIT } from '../exit-codes.js';
import { interruptSignal, openSession } from '../session.js';
import { bool, type CommandSpec, type Parsed, str, type Values } from '../spec.js';
import { makePlan } from './plan.js';

export const applySpec: CommandSpec = {
  name: 'apply',
  summary: 'Run a saved plan — and refuse, saying what differs, if anything changed since it was made.',
  usage: 'lifeboat apply [options] PLAN.json',
  options: [
    { name: 'forks', short: 'f', type: 'string', default: '20', valueName: 'N', desc: 'Hosts worked on in parallel' },
    ...CONNECT_OPTS,
    ...OUTPUT_OPTS,
  ],
  examples: ['lifeboat plan -i inventories/prod playbooks/etcd-restore.yml --out restore.plan.json', 'lifeboat apply restore.plan.json'],
  footer: `Before running, apply re-reads every input the plan hashed (inventory, playbooks, roles, variables) and\nre-runs the read-only probes; any difference from the plan (a file, an etcd member list, a snapshot checksum)\nrefuses the apply with exit code 5.\n\n${ENV_FOOTER}`,
};

function readPlan(file: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  } catch (err) {
    throw new LifeboatError('E_USAGE', `${file}: not a readable plan (${(err as Error).message})`, {
      hint: 'make one with `lifeboat plan … --out FILE`',
    });
  }
  if (plan?.schema !== PLAN_SCHEMA) {
    throw new LifeboatError('E_USAGE', `${file}: not a Lifeboat plan of schema ${PLAN_SCHEMA}`);
  }
  return plan;
}

export async function applyCommand(p: Parsed): Promise<number> {
  const file = p.positionals[0];
  if (!file || p.positionals.length > 1) throw new LifeboatError('E_USAGE', 'give exactly one plan file', { hint: 'lifeboat apply plan.json' });
  const saved = readPlan(file);
  const inp = saved.inputs;
  // The run is made from the plan's own inputs, not from new command-line choices.
  const v: Values = {
    ...p.values,
    inventory: inp.inventory,
    'extra-vars': [JSON.stringify(inp.extraVars)],
    'roles-path': inp.rolesPath,
    tags: inp.tags,
    'skip-tags': inp.skipTags,
    ...(inp.limit ? { limit: inp.limit } : {}),
  };
  const stale = (what: string[]) =>
    new LifeboatError('E_PLAN_STALE', `the plan ${file} no longer matches the present:\n  - ${what.join('\n  - ')}`, {
      hint: 'make a new plan, review it, and apply that one',
    });

  const planSession = await openSession(v, inp.playbooks);
  const inputDiff = diffInputs(inp, computeInputs({ ...planSession, limit: inp.limit, tags: inp.tags, skipTags: inp.skipTags }));
  if (inputDiff.length) {
    await planSession.pool.closeAll();
    throw stale(inputDiff);
  }
  const { plan: fresh } = await makePlan(planSession, v, saved.offline, false);
  const factDiff = diffPlans(saved, fresh);
  if (factDiff.length) throw stale(factDiff);
  process.stderr.write(`Plan ${file} still matches the present (inputs ${inp.hash.slice(0, 12)}, facts ${saved.factsHash.slice(0, 12)}): applying.\n`);

  const session = await openSession(v, inp.playbooks);
  const reporter = createReporter({ json: bool(v, 'json'), output: (str(v, 'output') ?? 'auto') as 'auto', secrets: session.secrets, verbose: bool(v, 'verbose') });
  const intr = interruptSignal();
  try {
    const summary = await runPlaybooks({
      inventory: session.inventory,
      playbooks: session.playbooks,
      limit: inp.limit,
      tags: inp.tags,
      skipTags: inp.skipTags,
      extraVars: session.extraVars,
      forks: Number(str(v, 'forks') ?? 20),
      check: false,
      diff: false,
      connections: session.pool,
      reporter,
      signal: intr.signal,
      secrets: session.secrets,
      rolesPath: session.rolesPath,
      expect: saved,
    });
    return summary.exitCode;
  } catch (err) {
    if (err instanceof LifeboatError && err.code === 'E_PLAN_STALE') return EXIT.PLAN_STALE;
    throw err;
  } finally {
    intr.dispose();
    await session.pool.closeAll();
    await reporter.close();
  }
}
