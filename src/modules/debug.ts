import { toText, evalExpression } from '../vars/index.js';
import { LifeboatError } from '../errors.js';
import { argError } from './common.js';
import { registerModule } from './registry.js';
import { DISPLAY, type ModuleDef, type Operation } from './types.js';

/**
 * debug — print `msg` (already rendered) or the value of the expression `var`. Skipped when `verbosity` is above
 * the run's verbosity (`ansible_verbosity`, i.e. the number of -v). Runs on the controller; never a change.
 *
 * Returns: msg, or `<var>: value` (as Ansible: the result holds the variable's name as the key).
 */
export interface DebugArgs {
  msg?: unknown;
  var?: string;
  verbosity?: number;
}

export const debugSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    msg: {},
    var: { type: 'string', minLength: 1 },
    verbosity: { type: 'integer', minimum: 0 },
  },
};

export const debugModule: ModuleDef<DebugArgs> = {
  name: 'debug',
  summary: 'Print a message or the value of a variable',
  schema: debugSchema,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    if (a.msg !== undefined && a.var !== undefined) throw argError('debug', ctx, 'msg and var are mutually exclusive');
    const verbosity = Number(ctx.vars.ansible_verbosity ?? 0);
    if ((a.verbosity ?? 0) > verbosity) {
      return {
        changed: false,
        steps: [],
        result: { changed: false, skipped: true, skipped_reason: 'Verbosity threshold not met.' },
      };
    }
    if (a.var !== undefined) {
      let value: unknown;
      try {
        value = evalExpression(a.var, ctx.vars, { host: ctx.host, field: 'var' });
      } catch (e) {
        // As Ansible: an undefined variable is shown, not a failure. Unknown-until-run values still propagate.
        if (!(e instanceof LifeboatError && e.code === 'E_UNDEFINED')) throw e;
        value = 'VARIABLE IS NOT DEFINED!';
      }
      // shown as Ansible shows it: "x": value (JSON, so a string is quoted and a map is readable)
      const shown = `"${a.var}": ${JSON.stringify(value, null, 2) ?? 'null'}`;
      return { changed: false, steps: [], result: { changed: false, [a.var]: value, [DISPLAY]: shown } };
    }
    const msg = a.msg === undefined ? 'Hello world!' : typeof a.msg === 'string' ? a.msg : toText(a.msg);
    return { changed: false, steps: [], result: { changed: false, msg }, notes: [msg] };
  },
};

registerModule(debugModule);
