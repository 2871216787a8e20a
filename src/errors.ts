/**
 * Typed errors. Every error Lifeboat reports to a user is a LifeboatError carrying a stable `code`,
 * and, where it comes from a file, the source position (file:line:col), plus a hint on what to do.
 */

/** A position in a source file. Lines and columns are 1-based. */
export interface SourceRef {
  file: string;
  line: number;
  col: number;
}

export function formatSource(src: SourceRef | undefined): string {
  if (!src) return '';
  return `${src.file}:${src.line}:${src.col}`;
}

export type ErrorCode =
  | 'E_YAML' // malformed YAML
  | 'E_SCHEMA' // valid YAML, wrong shape
  | 'E_INVENTORY' // inventory problem
  | 'E_PATTERN' // host pattern does not match / unknown group
  | 'E_PLAYBOOK'
  | 'E_ROLE'
  | 'E_TEMPLATE' // template syntax
  | 'E_UNDEFINED' // undefined variable
  | 'E_MODULE' // unknown module / bad module args
  | 'E_CONNECT' // could not connect / authenticate
  | 'E_HOSTKEY' // host key unknown or changed
  | 'E_UNREACHABLE'
  | 'E_BECOME'
  | 'E_TASK' // a task failed
  | 'E_PREFLIGHT'
  | 'E_PLAN_STALE'
  | 'E_USAGE'
  | 'E_INTERRUPTED'
  | 'E_INTERNAL';

export class LifeboatError extends Error {
  readonly code: ErrorCode;
  readonly src: SourceRef | undefined;
  readonly hint: string | undefined;
  /** Host the error concerns, when it concerns one. */
  readonly host: string | undefined;
  /** Task name the error concerns, when it concerns one. */
  readonly task: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { src?: SourceRef; hint?: string; host?: string; task?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'LifeboatError';
    this.code = code;
    this.src = opts.src;
    this.hint = opts.hint;
    this.host = opts.host;
    this.task = opts.task;
  }

  /** One line: `file:line:col: message (host h, task "t") — hint`. */
  format(): string {
    const where = this.src ? `${formatSource(this.src)}: ` : '';
    const ctx: string[] = [];
    if (this.host) ctx.push(`host ${this.host}`);
    if (this.task) ctx.push(`task "${this.task}"`);
    const ctxs = ctx.length ? ` (${ctx.join(', ')})` : '';
    const hint = this.hint ? `\n  hint: ${this.hint}` : '';
    return `${where}${this.message}${ctxs}${hint}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.src ? { file: this.src.file, line: this.src.line, col: this.src.col } : {}),
      ...(this.host ? { host: this.host } : {}),
      ...(this.task ? { task: this.task } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

/** Many errors collected in one pass (validation reports all of them, not just the first). */
export class LifeboatErrors extends Error {
  readonly errors: LifeboatError[];
  constructor(errors: LifeboatError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'LifeboatErrors';
    this.errors = errors;
  }
}

/** The nearest candidate by edit distance, for "did you mean …?" hints. */
export function nearest(word: string, candidates: Iterable<string>, maxDistance = 3): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(1, Math.min(maxDistance, Math.floor(word.length / 2))) ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + cost);
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}
