import { shellQuote } from '../../connection/quote.js';
import { probe, splitLines, stripEnds } from '../common.js';
import { extractFreeFormKv } from '../shlex.js';
import type { ModuleContext, ModuleResult, Operation, Step, StepOutcome } from '../types.js';

/** Arguments command, shell and script share (Ansible's names). */
export interface RunArgs {
  _raw_params?: string;
  cmd?: string;
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdin_add_newline?: boolean;
  strip_empty_ends?: boolean;
  executable?: string;
  /** Ignored (see warnArgSchema). */
  warn?: boolean;
}

export const runArgsSchema = {
  _raw_params: { type: 'string' },
  cmd: { type: 'string' },
  chdir: { type: 'string', minLength: 1 },
  creates: { type: 'string', minLength: 1 },
  removes: { type: 'string', minLength: 1 },
  stdin: { type: 'string' },
  stdin_add_newline: { type: 'boolean' },
  strip_empty_ends: { type: 'boolean' },
} as const;

/**
 * `warn` (command, shell): accepted and ignored. Ansible ≤ 2.13 took it (it only silenced "use the X module"
 * hints); ansible-core 2.14 removed it and fails such tasks. Playbooks written for the older releases run.
 */
export const warnArgSchema = { warn: { type: 'boolean' } } as const;

/** The arguments of shell and script: the run arguments plus `executable`, a command line or `cmd` required. */
export const runWithExecutableSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...runArgsSchema,
    executable: { type: 'string', minLength: 1 },
  },
  anyOf: [{ required: ['_raw_params'] }, { required: ['cmd'] }],
};

/**
 * The command string: `cmd` as given, or the free form (`_raw_params`) with Ansible's inline `creates=…` words
 * taken out and merged into the args (the playbook loader does this too; doing it here keeps plan() correct for
 * callers that pass the raw text).
 */
export function freeForm<A extends RunArgs>(args: A): { text: string | undefined; args: A } {
  if (args.cmd !== undefined) return { text: args.cmd, args };
  const raw = args._raw_params;
  if (raw === undefined) return { text: undefined, args };
  const { rest, kv } = extractFreeFormKv(raw);
  const merged = { ...args } as Record<string, unknown>;
  for (const [k, v] of Object.entries(kv)) {
    if (merged[k] !== undefined) continue;
    merged[k] = k === 'stdin_add_newline' || k === 'strip_empty_ends' ? !/^(no|false|0)$/i.test(v) : v;
  }
  return { text: rest, args: merged as A };
}

/** A path pattern for the shell: everything quoted except the glob characters * ? [ ]. */
export function globWord(pattern: string): string {
  return pattern
    .split(/([*?[\]])/)
    .map((part) => (/^[*?[\]]$/.test(part) ? part : part === '' ? '' : shellQuote(part)))
    .join('');
}

function cdPrefix(chdir: string | undefined): string {
  return chdir ? `cd -- ${shellQuote(chdir)} && ` : '';
}

/**
 * creates / removes decide before running: a creates pattern that matches, or a removes pattern that matches
 * nothing, means the command does not run (no change). Returns that Operation, or undefined to go on.
 */
export async function decideByFiles(
  ctx: ModuleContext<unknown>,
  a: RunArgs,
  shown: unknown,
): Promise<Operation | undefined> {
  if (!a.creates && !a.removes) return undefined;
  const test = (p: string) =>
    `(${cdPrefix(a.chdir)}for f in ${globWord(p)}; do [ -e "$f" ] || [ -L "$f" ] && exit 0; done; exit 1)`;
  const skip = (msg: string, stdout: string): Operation => ({
    changed: false,
    steps: [],
    result: {
      changed: false,
      cmd: shown,
      rc: 0,
      stdout,
      stderr: '',
      stdout_lines: [stdout],
      stderr_lines: [],
      msg,
    },
  });
  if (a.creates) {
    const r = await probe(ctx, test(a.creates));
    if (r.rc === 0)
      return skip(`Did not run command since '${a.creates}' exists`, `skipped, since ${a.creates} exists`);
  }
  if (a.removes) {
    const r = await probe(ctx, test(a.removes));
    if (r.rc !== 0)
      return skip(
        `Did not run command since '${a.removes}' does not exist`,
        `skipped, since ${a.removes} does not exist`,
      );
  }
  return undefined;
}

export function runStep(cmdline: string, a: RunArgs, description: string): Extract<Step, { kind: 'exec' }> {
  const stdin = a.stdin === undefined ? undefined : a.stdin_add_newline === false ? a.stdin : `${a.stdin}\n`;
  return {
    kind: 'exec',
    cmd: `${cdPrefix(a.chdir)}${cmdline}`,
    description,
    ...(stdin !== undefined ? { stdin } : {}),
  };
}

function delta(ms: number): string {
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(6).padStart(9, '0');
  return `${h}:${String(m).padStart(2, '0')}:${sec}`;
}

function stamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** The command-style result: rc, stdout/stderr (trailing newlines stripped), *_lines, start/end/delta, cmd. */
export function runFinish(shown: unknown, a: RunArgs): (outcomes: StepOutcome[]) => ModuleResult {
  return (outcomes) => {
    const run = [...outcomes].reverse().find((o) => o.exec);
    const failedOther = outcomes.find((o) => o.error !== undefined && !o.exec);
    if (!run?.exec) {
      return {
        changed: false,
        failed: true,
        cmd: shown,
        msg: failedOther?.error ?? 'the command did not run',
      };
    }
    const e = run.exec;
    const strip = a.strip_empty_ends !== false;
    const stdout = strip ? stripEnds(e.stdout) : e.stdout;
    const stderr = strip ? stripEnds(e.stderr) : e.stderr;
    const end = new Date();
    const start = new Date(end.getTime() - e.durationMs);
    const r: ModuleResult = {
      changed: true,
      cmd: shown,
      rc: e.rc,
      stdout,
      stderr,
      stdout_lines: splitLines(stdout),
      stderr_lines: splitLines(stderr),
      start: stamp(start),
      end: stamp(end),
      delta: delta(e.durationMs),
      msg: '',
    };
    if (e.signal) {
      r.failed = true;
      r.msg = `killed by ${e.signal}`;
    } else if (e.rc !== 0) {
      r.failed = true;
      r.msg = 'non-zero return code';
    }
    return r;
  };
}
