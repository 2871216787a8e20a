import { toText } from '../vars/index.js';
import { failedOp } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * fail — fail the task with `msg` (default "Failed as requested from task"). Usually with `when:`.
 * Runs on the controller.
 *
 * Returns: failed: true, msg.
 */
export interface FailArgs {
  msg?: unknown;
}

export const failSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { msg: {} },
};

export const failModule: ModuleDef<FailArgs> = {
  name: 'fail',
  summary: 'Fail the task with a message',
  schema: failSchema,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    const msg = ctx.args.msg;
    return failedOp(msg === undefined ? 'Failed as requested from task' : typeof msg === 'string' ? msg : toText(msg));
  },
};

registerModule(failModule);
