import type { Readable } from 'node:stream';
import type { Connection, ExecOptions, ExecResult, PutOptions } from '../../src/connection/types.js';
import type { ModuleContext } from '../../src/modules/types.js';

/** A canned answer for commands matching `match` (a substring or a RegExp of the command line). */
export interface FakeRule {
  match: string | RegExp;
  rc?: number;
  stdout?: string;
  stderr?: string;
  signal?: string;
  /** Throw this instead of answering. */
  throws?: Error;
}

export interface FakeCall {
  kind: 'exec' | 'put' | 'get';
  cmd?: string;
  opts?: ExecOptions | PutOptions | { become?: boolean };
  src?: string;
  dest?: string;
  content?: string;
}

/**
 * A connection for pure unit tests: records every call and answers exec with the first matching rule
 * (unmatched commands: rc 0, empty output). Never used as the only proof of host behaviour.
 */
export class FakeConnection implements Connection {
  readonly calls: FakeCall[] = [];
  readonly rules: FakeRule[];
  putError?: Error;
  constructor(
    readonly host = 'fake1',
    rules: FakeRule[] = [],
  ) {
    this.rules = rules;
  }
  get execs(): string[] {
    return this.calls.filter((c) => c.kind === 'exec').map((c) => c.cmd ?? '');
  }
  on(match: string | RegExp, answer: Omit<FakeRule, 'match'>): this {
    this.rules.push({ match, ...answer });
    return this;
  }
  async exec(cmd: string, opts?: ExecOptions): Promise<ExecResult> {
    this.calls.push({ kind: 'exec', cmd, ...(opts ? { opts } : {}) });
    const rule = this.rules.find((r) => (typeof r.match === 'string' ? cmd.includes(r.match) : r.match.test(cmd)));
    if (rule?.throws) throw rule.throws;
    const stdout = rule?.stdout ?? '';
    const stderr = rule?.stderr ?? '';
    if (stdout) opts?.onStdout?.(Buffer.from(stdout));
    if (stderr) opts?.onStderr?.(Buffer.from(stderr));
    return {
      rc: rule?.rc ?? 0,
      stdout,
      stderr,
      durationMs: 1,
      ...(rule?.signal ? { signal: rule.signal } : {}),
    };
  }
  async put(src: string | Buffer | Readable, dest: string, opts?: PutOptions): Promise<void> {
    if (this.putError) throw this.putError;
    const content = Buffer.isBuffer(src) ? src.toString('utf8') : undefined;
    this.calls.push({
      kind: 'put',
      dest,
      ...(typeof src === 'string' ? { src } : {}),
      ...(content !== undefined ? { content } : {}),
      ...(opts ? { opts } : {}),
    });
  }
  async get(src: string, dest: string, opts?: { become?: boolean }): Promise<void> {
    this.calls.push({ kind: 'get', src, dest, ...(opts ? { opts } : {}) });
  }
  async close(): Promise<void> {}
}

/** A ModuleContext around a connection, with defaults for the rest. */
export function fakeCtx<A>(
  args: A,
  conn: Connection,
  over: Partial<Omit<ModuleContext<A>, 'args' | 'conn'>> = {},
): ModuleContext<A> {
  return {
    host: conn.host,
    args,
    vars: {},
    conn,
    check: false,
    become: false,
    playbookDir: '/nonexistent-playbook-dir',
    connect: async () => conn,
    ...over,
  };
}
