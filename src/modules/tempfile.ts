import { shellJoin } from '../connection/quote.js';
import { registerModule } from './registry.js';
import type { ModuleDef, ModuleResult, Operation, StepOutcome } from './types.js';

/**
 * tempfile — a new temporary file or directory on the host (`mktemp`), named `<prefix>XXXXXXXX<suffix>` under `path`
 * (default the host's TMPDIR or /tmp). Always a change; the plan cannot know the name (`path` is unknown until
 * run), as Ansible's check mode.
 *
 * Returns: path, state, changed.
 */
export interface TempfileArgs {
  state?: 'file' | 'directory';
  path?: string;
  prefix?: string;
  suffix?: string;
}

export const tempfileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: ['file', 'directory'] },
    path: { type: 'string', minLength: 1 },
    prefix: { type: 'string', pattern: '^[^/]*$' },
    suffix: { type: 'string', pattern: '^[^/]*$' },
  },
};

export const tempfileModule: ModuleDef<TempfileArgs> = {
  name: 'tempfile',
  summary: 'Create a temporary file or directory (mktemp)',
  schema: tempfileSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const state = a.state ?? 'file';
    const template = `${a.prefix ?? 'ansible.'}XXXXXXXX${a.suffix ?? ''}`;
    // -t: under $TMPDIR, else /tmp (GNU mktemp)
    const cmd = shellJoin([
      'mktemp',
      ...(state === 'directory' ? ['-d'] : []),
      ...(a.suffix ? ['--suffix', a.suffix] : []),
      ...(a.path ? ['-p', a.path] : ['-t']),
      `${a.prefix ?? 'ansible.'}XXXXXXXX`,
    ]);
    return {
      changed: true,
      steps: [{ kind: 'exec', cmd, description: `create a temporary ${state} ${template}` }],
      result: { state },
      finish: (outcomes: StepOutcome[]): ModuleResult => {
        const o = outcomes[0];
        if (!o?.exec || o.error) return { changed: false, failed: true, msg: `tempfile: ${o?.error ?? 'did not run'}: ${o?.exec?.stderr.trim() ?? ''}` };
        return { changed: true, state, path: o.exec.stdout.trim() };
      },
    };
  },
};

registerModule(tempfileModule);
