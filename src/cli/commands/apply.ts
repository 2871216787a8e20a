import { readFileSync } from 'node:fs';
import { runPlaybooks } from '../../executor/index.js';
import { LifeboatError } from '../../errors.js';
import { computeInputs, diffInputs, diffPlans, type Plan, PLAN_SCHEMA, withRunStamp } from '../../planner/index.js';
import { createReporter } from '../../reporters/index.js';
import { MASK } from '../../secrets.js';
import { CONNECT_OPTS, ENV_FOOTER, OUTPUT_OPTS } from '../common.js';
import { EXIT } from '../../executor/exit-code.js';
import type { Io } from '../io.js';
import { parseExtraVars } from '../extra-vars.js';
import { interruptSignal, openSession, runOptionsFor, type Session } from '../session.js';
import { bool, type CommandSpec, type Parsed, str, strs, type Values } from '../spec.js';
import { makePlan } from './plan.js';

export const applySpec: CommandSpec = {
  name: 'apply',
  summary: 'Run a saved plan — and refuse, saying what differs, if anything changed since it was made.',
  usage: 'lifeboat apply [options] PLAN.json',
  options: [
    { name: 'forks', short: 'f', type: 'string', default: '20', valueName: 'N', desc: 'Hosts worked on in parallel' },
    {
      name: 'extra-vars',
      short: 'e',
      type: 'string',
      multiple: true,
      valueName: 'VARS',
      desc: 'Only the secret -e values the plan masked, given again (any other difference refuses the plan)',
    },
    ...CONNECT_OPTS,
    ...OUTPUT_OPTS,
  ],
  examples: ['lifeboat plan -i inventories/prod playbooks/etcd-restore.yml --out restore.plan.json', 'lifeboat apply restore.plan.json'],
  footer: `Before running, apply re-reads every input the plan hashed (inventory, playbooks, roles, variables) and\nre-runs the read-only probes; any difference from the plan (a file, an etcd member list, a snapshot checksum)\nrefuses the apply with exit code 5. During the run, a host about to run a step the plan did not show stops\nthe run (exit code 5).\n\n${ENV_FOOTER}`,
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
    throw new LifeboatError('E_USAGE', `${file}: not a Lifeboat plan of schema ${PLAN_SCHEMA}`, {
      hint: 'make a new plan with this version of lifeboat (`lifeboat plan … --out FILE`)',
    });
  }
  return plan;
}

/** The `-e` values a plan saved masked (secrets): they must be given again to apply it. */
export function maskedExtraVars(extra: Record<string, unknown>): string[] {
  return Object.keys(extra).filter((k) => JSON.stringify(extra[k]).includes(MASK));
}

export async function applyCommand(p: Parsed, io: Io): Promise<number> {
  const file = p.positionals[0];
  if (!file || p.positionals.length > 1) throw new LifeboatError('E_USAGE', 'give exactly one plan file', { hint: 'lifeboat apply plan.json' });
  const saved = readPlan(file);
  if (saved.offline) {
    throw new LifeboatError('E_USAGE', `${file} is an offline plan: it probed no host, so there is nothing to hold the present against`, {
      hint: 'make the plan without --offline (the hosts must be reachable), review it, then apply that one',
    });
  }
  const inp = saved.inputs;
  const given = parseExtraVars(strs(p.values, 'extra-vars'));
  // The secret -e values given again are secrets of this run: masked in its output as in the plan.
  io.secrets.addDeep(given);
  const secretNames = new Set([...(inp.secretExtraVars ?? []), ...maskedExtraVars(inp.extraVars)]);
  const missing = [...secretNames].filter((k) => !(k in given));
  if (missing.length) {
    throw new LifeboatError('E_USAGE', `the plan ${file} has secret -e values that it saved masked: ${missing.join(', ')}`, {
      hint: `give them again: lifeboat apply ${file} ${missing.map((k) => `-e ${k}=…`).join(' ')}`,
    });
  }
  // The run is made from the plan's own inputs, not from new command-line choices (the secrets above aside).
  const v: Values = {
    ...p.values,
    inventory: inp.inventory,
    'extra-vars': [JSON.stringify({ ...inp.extraVars, ...given })],
    'roles-path': inp.rolesPath,
    tags: inp.tags,
    'skip-tags': inp.skipTags,
    ...(inp.limit ? { limit: inp.limit } : {}),
  };
  const stale = (what: string[]) =>
    new LifeboatError('E_PLAN_STALE', `the plan ${file} no longer matches the present:\n  - ${what.join('\n  - ')}`, {
      hint: 'make a new plan, review it, and apply that one',
    });
  const checkInputs = async (s: Session) => {
    const d = diffInputs(inp, computeInputs({ ...s, limit: inp.limit, tags: inp.tags, skipTags: inp.skipTags }));
    if (d.length) {
      await s.pool.closeAll();
      throw stale(d);
    }
  };
  const planTime = new Date(saved.createdAt);

  // One session for the check and the run: the inputs loaded and hashed are the ones that run, the
  // connections stay open, and -K asks once.
  const session = await openSession(v, inp.playbooks, io);
  await checkInputs(session);
  let fresh: Plan;
  try {
    ({ plan: fresh } = await makePlan(session, v, saved.offline, false, planTime, true));
  } catch (err) {
    await session.pool.closeAll();
    throw err;
  }
  const factDiff = diffPlans(saved, fresh);
  if (factDiff.length) {
    await session.pool.closeAll();
    throw stale(factDiff);
  }
  io.err.write(`Plan ${file} still matches the present (inputs ${inp.hash.slice(0, 12)}, facts ${saved.factsHash.slice(0, 12)}): applying.\n`);
  const reporter = createReporter({ json: bool(v, 'json'), output: (str(v, 'output') ?? 'auto') as 'auto', verbose: bool(v, 'verbose'), stdout: io.out, stderr: io.err });
  const intr = interruptSignal(io.err);
  try {
    const summary = await runPlaybooks({
      ...runOptionsFor(session, v, reporter, intr.signal),
      extraVars: withRunStamp(session.extraVars, planTime),
      check: false,
      diff: false,
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
