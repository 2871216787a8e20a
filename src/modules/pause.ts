import { argError } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * pause — wait `seconds` (or `minutes`) on the controller. Lifeboat never prompts mid-run, so `prompt` (and a
 * pause without a duration, which in Ansible waits for Enter) is refused with a clear error.
 *
 * Returns: delta (seconds), start/stop are not reported; the executor performs the wait (ControlAction).
 */
export interface PauseArgs {
  seconds?: number | string;
  minutes?: number | string;
  prompt?: string;
  echo?: boolean;
}

const dur = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*$' },
  ],
};

export const pauseSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { seconds: dur, minutes: dur, prompt: { type: 'string' }, echo: { type: 'boolean' } },
};

export const pauseModule: ModuleDef<PauseArgs> = {
  name: 'pause',
  summary: 'Wait a number of seconds or minutes (never prompts)',
  schema: pauseSchema,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const hint =
      'Lifeboat never stops mid-run for input: use `lifeboat plan` to review first, then `lifeboat apply`; or give seconds/minutes';
    if (a.prompt !== undefined)
      throw argError('pause', ctx, 'prompt is not supported: Lifeboat never prompts mid-run', hint);
    if (a.seconds !== undefined && a.minutes !== undefined)
      throw argError('pause', ctx, 'seconds and minutes are mutually exclusive');
    if (a.seconds === undefined && a.minutes === undefined) {
      throw argError(
        'pause',
        ctx,
        'a pause without seconds or minutes waits for a keypress, which Lifeboat never does',
        hint,
      );
    }
    const seconds = a.seconds !== undefined ? Number(a.seconds) : Number(a.minutes) * 60;
    return {
      changed: false,
      steps: [],
      notes: [`pauses ${seconds}s`],
      control: { kind: 'pause', seconds },
      result: { changed: false, delta: seconds, echo: a.echo ?? true, stdout: `Paused for ${seconds} seconds` },
    };
  },
};

registerModule(pauseModule);
