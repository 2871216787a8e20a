import { shellJoin } from '../connection/quote.js';
import { argError } from './common.js';
import { registerModule } from './registry.js';
import { runFinish, runStep } from './lib/run-common.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * raw — the command line as written, run by the login shell of the connection (or `executable -c`). No
 * arguments of its own besides `executable`; always a change when it runs; fails on a non-zero exit code.
 *
 * Returns: rc, stdout, stderr, stdout_lines, stderr_lines.
 */
export interface RawArgs {
  _raw_params?: string;
  executable?: string;
}

export const rawSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['_raw_params'],
  properties: {
    _raw_params: { type: 'string' },
    executable: { type: 'string', minLength: 1 },
  },
};

export const rawModule: ModuleDef<RawArgs> = {
  name: 'raw',
  summary: 'Run a command line as is over the connection (no module code on the host)',
  schema: rawSchema,
  freeForm: true,
  async plan(ctx): Promise<Operation> {
    const text = ctx.args._raw_params ?? '';
    if (text.trim() === '') throw argError('raw', ctx, 'no command given', 'write the command after `raw:`');
    const cmd = ctx.args.executable ? shellJoin([ctx.args.executable, '-c', text]) : text;
    return { changed: 'unknown', steps: [runStep(cmd, {}, text)], finish: runFinish(text, {}) };
  },
};

registerModule(rawModule);
