import { evalCondition, toText } from '../vars/index.js';
import { failedOp } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * assert — every expression in `that` (bare Jinja, as in `when:`) must be true. Fails with `fail_msg` (alias
 * `msg`) naming the first false one. Runs on the controller; never a change.
 *
 * Returns: msg, assertion (the false expression), evaluated_to (false); with `quiet` no per-assertion detail.
 */
export interface AssertArgs {
  that: string | boolean | Array<string | boolean>;
  fail_msg?: unknown;
  msg?: unknown;
  success_msg?: unknown;
  quiet?: boolean;
}

const cond = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'boolean' }] };

export const assertSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['that'],
  properties: {
    that: { anyOf: [cond, { type: 'array', items: cond, minItems: 1 }] },
    fail_msg: {},
    msg: {},
    success_msg: {},
    quiet: { type: 'boolean' },
  },
};

export const assertModule: ModuleDef<AssertArgs> = {
  name: 'assert',
  summary: 'Fail unless every condition in `that` holds',
  schema: assertSchema,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const list = Array.isArray(a.that) ? a.that : [a.that];
    for (const expr of list) {
      const ok = evalCondition(expr, ctx.vars, { host: ctx.host, field: 'that' });
      if (!ok) {
        const m = a.fail_msg ?? a.msg ?? 'Assertion failed';
        const msg = typeof m === 'string' ? m : toText(m);
        return failedOp(msg, a.quiet ? {} : { assertion: expr, evaluated_to: false });
      }
    }
    return {
      changed: false,
      steps: [],
      result: {
        changed: false,
        msg:
          typeof a.success_msg === 'string'
            ? a.success_msg
            : a.success_msg === undefined
              ? 'All assertions passed'
              : toText(a.success_msg),
      },
    };
  },
};

registerModule(assertModule);
