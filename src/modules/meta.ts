import { argError } from './common.js';
import { registerModule } from './registry.js';
import type { ControlAction, ModuleDef, Operation } from './types.js';

/**
 * meta — a control action for the executor: `flush_handlers` (run notified handlers now), `end_play`,
 * `end_host`, `end_role` (the host skips the rest of the current role; only inside a role), or `noop`. Free form: `meta: flush_handlers`. Other Ansible meta actions are refused.
 *
 * Returns: changed false; the executor acts on the ControlAction.
 */
export interface MetaArgs {
  _raw_params?: string;
}

const ACTIONS = ['flush_handlers', 'end_play', 'end_host', 'end_role', 'noop'] as const;

export const metaSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['_raw_params'],
  properties: { _raw_params: { type: 'string', enum: [...ACTIONS] } },
};

export const metaModule: ModuleDef<MetaArgs> = {
  name: 'meta',
  summary: 'Executor control: flush_handlers, end_play, end_host, end_role, noop',
  schema: metaSchema,
  freeForm: true,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    const action = (ctx.args._raw_params ?? '').trim();
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw argError(
        'meta',
        ctx,
        `unsupported meta action ${JSON.stringify(action)}`,
        `use one of: ${ACTIONS.join(', ')}`,
      );
    }
    if (action === 'end_role' && ctx.roleDir === undefined) {
      throw argError('meta', ctx, 'end_role can only be used inside a role', 'use end_host to end the play for this host');
    }
    const control: ControlAction | undefined =
      action === 'noop' ? undefined : ({ kind: action as ControlAction['kind'] } as ControlAction);
    return {
      changed: false,
      steps: [],
      notes: [`meta: ${action}`],
      result: { changed: false, ...(action === 'noop' ? {} : { msg: action }) },
      ...(control ? { control } : {}),
    };
  },
};

registerModule(metaModule);
