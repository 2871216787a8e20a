import { posix } from 'node:path';
import { shellJoin, shellQuote } from '../connection/quote.js';
import { argError } from './common.js';
import { digestFile, findLocalFile } from './local-files.js';
import { registerModule } from './registry.js';
import { decideByFiles, freeForm, type RunArgs, runFinish, runStep, runWithExecutableSchema } from './lib/run-common.js';
import { shlexSplit } from './shlex.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * script — upload a controller script (the role's files/, then the playbook dir), run it with its arguments
 * (with `executable` if given, else by its own #! line), and remove it afterwards whatever its exit code.
 * Free form: `script: check.sh --fast`. `creates` / `removes` decide as for command.
 *
 * Returns: rc, stdout, stderr, stdout_lines, stderr_lines, start, end, delta, cmd, msg. Fails when rc ≠ 0.
 */
export const scriptSchema = runWithExecutableSchema;

export const scriptModule: ModuleDef<RunArgs> = {
  name: 'script',
  summary: 'Upload a local script, run it on the host, remove it',
  schema: scriptSchema,
  freeForm: true,
  async plan(ctx): Promise<Operation> {
    const { text, args: a } = freeForm(ctx.args);
    let words: string[];
    try {
      words = shlexSplit(text ?? '');
    } catch (e) {
      throw argError('script', ctx, `cannot split the command: ${(e as Error).message}`);
    }
    const [file, ...rest] = words;
    if (!file) throw argError('script', ctx, 'no script given', 'write `script: path/to/script.sh args…`');
    const local = await findLocalFile(ctx, 'script', 'files', file);
    if (local.isDir) throw argError('script', ctx, `${file} is a directory, not a script`);
    const decided = await decideByFiles(ctx, a, text);
    if (decided) return decided;
    const digest = await digestFile(local.path);
    const remote = `/tmp/.lifeboat-script-${digest.sha256.slice(0, 12)}-${posix.basename(local.path)}`;
    const run = shellJoin([...(a.executable ? [a.executable] : []), remote, ...rest]);
    const cmdline = `${run}; rc=$?; rm -f -- ${shellQuote(remote)}; exit $rc`;
    return {
      changed: a.creates || a.removes ? true : 'unknown',
      steps: [
        {
          kind: 'put',
          dest: remote,
          src: local.path,
          mode: 0o700,
          description: `upload ${file}`,
        },
        runStep(cmdline, a, `run ${[file, ...rest].join(' ')} (then remove it)`),
      ],
      finish: runFinish(`${remote}${rest.length ? ` ${shellJoin(rest)}` : ''}`, a),
    };
  },
};

registerModule(scriptModule);
