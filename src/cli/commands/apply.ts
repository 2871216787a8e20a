import { LifeboatError } from '../../errors.js';
import { applyPlan } from '../../planner/index.js';
import { createReporter } from '../../reporters/index.js';
import { CONNECT_OPTS, ENV_FOOTER, OUTPUT_OPTS } from '../common.js';
import type { Io } from '../io.js';
import { parseExtraVars } from '../extra-vars.js';
import { openSession, plannerSession } from '../session.js';
import { bool, type CommandSpec, type Parsed, str, strs, type Values } from '../spec.js';
import { version } from '../version.js';

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

/** Parses the command line; the planner's applyPlan does the rest (docs/architecture.md). */
export async function applyCommand(p: Parsed, io: Io): Promise<number> {
  const file = p.positionals[0];
  if (!file || p.positionals.length > 1) throw new LifeboatError('E_USAGE', 'give exactly one plan file', { hint: 'lifeboat apply plan.json' });
  const given = parseExtraVars(strs(p.values, 'extra-vars'));
  return applyPlan({
    file,
    given,
    secrets: io.secrets,
    lifeboat: version(),
    // The run is made from the plan's own inputs, not from new command-line choices (the secrets aside).
    open: async (inp, extraVars) => {
      const v: Values = {
        ...p.values,
        inventory: inp.inventory,
        'extra-vars': [JSON.stringify(extraVars)],
        'roles-path': inp.rolesPath,
        tags: inp.tags,
        'skip-tags': inp.skipTags,
        ...(inp.limit ? { limit: inp.limit } : {}),
      };
      return plannerSession(await openSession(v, inp.playbooks, io), v);
    },
    reporter: () => createReporter({ json: bool(p.values, 'json'), output: (str(p.values, 'output') ?? 'auto') as 'auto', verbose: bool(p.values, 'verbose'), stdout: io.out, stderr: io.err }),
  });
}
