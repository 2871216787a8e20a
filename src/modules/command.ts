import { shellQuote } from '../connection/quote.js';
import { argError } from './common.js';
import { registerModule } from './registry.js';
import { decideByFiles, freeForm, type RunArgs, runArgsSchema, runFinish, runStep, warnArgSchema } from './lib/run-common.js';
import { shlexSplit } from './shlex.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * command — run a program with arguments, no shell: pipes, `;`, `>`, globs stay literal words. The free form is
 * split like Python's shlex; `argv` gives the words as a list. As Ansible, `$NAME` / `${NAME}` and a leading `~`
 * in a word are expanded on the host. `creates` / `removes` (globs, relative to chdir) decide whether to run.
 * The plan says "unknown" unless creates/removes decide.
 *
 * Returns: cmd (the argv), rc, stdout, stderr, stdout_lines, stderr_lines, start, end, delta, msg.
 * Fails when rc ≠ 0.
 */
export interface CommandArgs extends RunArgs {
  argv?: string[];
}

export const commandSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...runArgsSchema,
    ...warnArgSchema,
    argv: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
  anyOf: [{ required: ['_raw_params'] }, { required: ['cmd'] }, { required: ['argv'] }],
};

/**
 * One word for the shell, keeping Ansible's expansions: `$NAME`/`${NAME}` and a leading `~` or `~/` expand,
 * everything else is literal.
 */
export function commandWord(word: string): string {
  let prefix = '';
  let w = word;
  const tilde = /^~([A-Za-z0-9_.-]*)(\/|$)/.exec(w);
  if (tilde) {
    prefix = tilde[0];
    w = w.slice(tilde[0].length);
    if (w === '') return prefix;
  }
  if (!/\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/.test(w)) return prefix + shellQuote(w);
  let out = '"';
  for (let i = 0; i < w.length; i++) {
    const c = w[i] as string;
    if (c === '$') {
      const m = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/.exec(w.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
      out += '\\$';
    } else if (c === '"' || c === '\\' || c === '`') out += `\\${c}`;
    else out += c;
  }
  return `${prefix}${out}"`;
}

export const commandModule: ModuleDef<CommandArgs> = {
  name: 'command',
  summary: 'Run a program with arguments (no shell); creates/removes make it idempotent',
  schema: commandSchema,
  freeForm: true,
  async plan(ctx): Promise<Operation> {
    const { text, args: a } = freeForm(ctx.args);
    let argv: string[];
    if (a.argv !== undefined) {
      if (text !== undefined && text !== '')
        throw argError('command', ctx, 'give either a command string (cmd / free form) or argv, not both');
      argv = a.argv;
    } else {
      try {
        argv = shlexSplit(text ?? '');
      } catch (e) {
        throw argError(
          'command',
          ctx,
          `cannot split the command: ${(e as Error).message}`,
          'close the quote, or use argv: [..] to give the words',
        );
      }
    }
    if (argv.length === 0)
      throw argError('command', ctx, 'no command given', 'write the command after `command:` or use cmd / argv');
    const decided = await decideByFiles(ctx, a, argv);
    if (decided) return decided;
    const cmdline = argv.map(commandWord).join(' ');
    return {
      changed: a.creates || a.removes ? true : 'unknown',
      steps: [runStep(cmdline, a, argv.join(' '))],
      finish: runFinish(argv, a),
    };
  },
};

registerModule(commandModule);
