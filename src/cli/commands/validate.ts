import { resolve } from 'node:path';
import { loadInventory } from '../../inventory/index.js';
import { validate } from '../../playbook/index.js';
import { LifeboatError, LifeboatErrors } from '../../errors.js';
import { EXIT } from '../../executor/exit-code.js';
import type { Io } from '../io.js';
import { INVENTORY_OPTS } from '../common.js';
import { parseExtraVars } from '../extra-vars.js';
import { resolveInventoryArg, rolesPathOf } from '../session.js';
import { bool, type CommandSpec, type Parsed, strs } from '../spec.js';
import '../../modules/index.js';

export const validateSpec: CommandSpec = {
  name: 'validate',
  summary: 'Check inventories, playbooks, roles and module arguments without connecting to any host.',
  usage: 'lifeboat validate [-i INVENTORY] [-e VARS] PLAYBOOK...',
  options: [
    ...INVENTORY_OPTS,
    // The run's -e, checked the same way (an @file that does not read or parse, a port that is no number).
    {
      name: 'extra-vars',
      short: 'e',
      type: 'string',
      multiple: true,
      valueName: 'VARS',
      desc: 'key=value, YAML/JSON, or @file: checked as a run would',
    },
    { name: 'roles-path', type: 'string', multiple: true, valueName: 'DIR', desc: 'Extra role directories' },
    { name: 'json', type: 'boolean', desc: 'Print the problems as a JSON array' },
  ],
  examples: ['lifeboat validate -i inventories/prod playbooks/*.yml', 'lifeboat validate --json site.yml | jq .'],
  footer:
    'Every problem in every file is reported at once, each with file:line:col; a play whose hosts match no group of\nthe inventory is a warning (as in Ansible and in a run: the play is skipped).\nExit codes: 0 clean (warnings allowed) · 4 problems found',
};

export async function validateCommand(p: Parsed, io: Io): Promise<number> {
  const v = p.values;
  const errors: LifeboatError[] = [];
  const warnings: LifeboatError[] = [];
  const invPaths = strs(v, 'inventory').map(resolveInventoryArg);
  let inventory: Awaited<ReturnType<typeof loadInventory>> | undefined;
  if (invPaths.length) {
    try {
      inventory = await loadInventory(invPaths);
    } catch (err) {
      if (err instanceof LifeboatErrors) errors.push(...err.errors);
      else throw err;
    }
  }
  try {
    parseExtraVars(strs(v, 'extra-vars'));
  } catch (err) {
    if (err instanceof LifeboatErrors) errors.push(...err.errors);
    else if (err instanceof LifeboatError) errors.push(err);
    else throw err;
  }
  if (p.positionals.length) {
    errors.push(
      ...(await validate({
        playbooks: p.positionals.map((x) => resolve(x)),
        inventory,
        rolesPath: rolesPathOf(v),
        onWarning: (w) => warnings.push(w),
      })),
    );
  }
  // Warnings (what Ansible only warns about, as a run does) go to stderr in every format and never fail.
  for (const w of warnings) io.err.write(`warning: ${w.format()}\n`);
  if (bool(v, 'json')) {
    io.out.json(
      errors.map((e) => e.toJSON()),
      2,
    );
  } else if (errors.length) {
    for (const e of errors) io.err.write(`${e.format()}\n`);
    io.err.write(`\n${errors.length} problem(s) found.\n`);
  } else {
    io.out.write(
      `OK: ${p.positionals.length} playbook(s)${invPaths.length ? `, ${invPaths.length} inventory path(s)` : ''} valid.\n`,
    );
  }
  return errors.length ? EXIT.USAGE : EXIT.OK;
}
