import { shellJoin } from '../connection/quote.js';
import { argError } from './common.js';
import { registerModule } from './registry.js';
import { decideByFiles, freeForm, type RunArgs, runFinish, runStep, runWithExecutableSchema, warnArgSchema } from './lib/run-common.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * shell — run a command line through `/bin/sh -c` (or `executable`, e.g. /bin/bash): pipes, redirections and
 * variables work. `creates` / `removes` decide as for command. The plan says "unknown" unless they decide.
 *
 * Returns: cmd (the string), rc, stdout, stderr, stdout_lines, stderr_lines, start, end, delta, msg.
 */
export const shellSchema = { ...runWithExecutableSchema, properties: { ...runWithExecutableSchema.properties, ...warnArgSchema } };

export const shellModule: ModuleDef<RunArgs> = {
  name: 'shell',
  summary: 'Run a command line through a shell; creates/removes make it idempotent',
  schema: shellSchema,
  freeForm: true,
  async plan(ctx): Promise<Operation> {
    const { text, args: a } = freeForm(ctx.args);
    if (!text || text.trim() === '')
      throw argError('shell', ctx, 'no command given', 'write the command after `shell:` or use cmd');
    const decided = await decideByFiles(ctx, a, text);
    if (decided) return decided;
    const cmdline = shellJoin([a.executable ?? '/bin/sh', '-c', text]);
    return {
      changed: a.creates || a.removes ? true : 'unknown',
      steps: [runStep(cmdline, a, text)],
      finish: runFinish(text, a),
    };
  },
};

registerModule(shellModule);
