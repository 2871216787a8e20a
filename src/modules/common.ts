import type { ExecResult } from '../connection/types.js';
import { LifeboatError } from '../errors.js';
import type { Connection } from '../connection/types.js';
import type { Operation, Probe } from './types.js';

/** The task's probe, or one on another host's connection (same become and cancel signal). */
export function probeOf(ctx: Probe, conn: Connection = ctx.conn, host: string = ctx.host): Probe {
  return { conn, host, become: ctx.become, ...(ctx.signal ? { signal: ctx.signal } : {}) };
}

/** A module-argument error: names the module, the host and what to do. */
export function argError(module: string, ctx: { host: string }, message: string, hint?: string): LifeboatError {
  return new LifeboatError('E_MODULE', `${module}: ${message}`, {
    host: ctx.host,
    ...(hint ? { hint } : {}),
  });
}

/**
 * A read-only probe on the task's host (plan and run alike). Runs with the task's become so root-only files can
 * be looked at. The caller decides what a non-zero rc means.
 */
export async function probe(ctx: Probe, cmd: string, stdin?: string): Promise<ExecResult> {
  return ctx.conn.exec(cmd, {
    become: ctx.become,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(stdin !== undefined ? { stdin } : {}),
  });
}

/** Probe that must succeed: a non-zero rc is an E_MODULE error naming the probe. */
export async function probeOk(ctx: Probe, module: string, what: string, cmd: string): Promise<string> {
  const r = await probe(ctx, cmd);
  if (r.rc !== 0) {
    const detail = (r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? '';
    throw new LifeboatError(
      'E_MODULE',
      `${module}: could not ${what} (exit code ${r.rc}${detail ? `: ${detail}` : ''})`,
      {
        host: ctx.host,
      },
    );
  }
  return r.stdout;
}

/** A failed result without steps (the module decided, from the facts, that it cannot do its job). */
export function failedOp(msg: string, extra: Record<string, unknown> = {}): Operation {
  return {
    changed: false,
    steps: [],
    result: { changed: false, failed: true, msg, ...extra },
  };
}

/**
 * Something the task needs is missing on the host right now. A real run fails; the plan cannot know whether an
 * earlier task in the same run creates it, so it says "unknown" with a note instead of "will fail".
 */
export function missingNow(
  ctx: { check: boolean },
  msg: string,
  extra: Record<string, unknown> = {},
  /** What is missing, for the plan's note (default: msg). */
  what = msg,
): Operation {
  if (!ctx.check) return failedOp(msg, extra);
  return {
    changed: 'unknown',
    steps: [],
    notes: [`${what} yet; the run fails unless an earlier task creates it`],
    result: { changed: false, ...extra },
  };
}

/** Ansible strips trailing newlines from stdout/stderr (strip_empty_ends). */
export function stripEnds(s: string): string {
  return s.replace(/[\r\n]+$/, '');
}

export function splitLines(s: string): string[] {
  return s === '' ? [] : s.split(/\r?\n/);
}

/** Parses `key=value` lines (value to the end of the line). Later keys win. */
export function parseKeyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** Returns the first defined value among an argument and its aliases. */
export function pick<T>(args: Record<string, unknown>, ...names: string[]): T | undefined {
  for (const n of names) if (args[n] !== undefined && args[n] !== null) return args[n] as T;
  return undefined;
}

/** A module's path argument, under its name or one of Ansible's aliases (`dest`, `name`, …); required. */
export function pathArg(module: string, ctx: { host: string; args: unknown }, ...aliases: string[]): string {
  const path = pick<string>(ctx.args as Record<string, unknown>, 'path', ...aliases);
  if (!path) throw argError(module, ctx, 'path is required');
  return path;
}

export function isoNow(): string {
  return new Date().toISOString();
}

/** An Ansible `type: list` argument: a list as is, a string split on commas (as Ansible converts it). */
export function asList(v: string | readonly string[] | undefined): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return [...v];
}

/** Schema of such an argument. */
export const listSchema = { type: ['array', 'string'], items: { type: 'string' } } as const;
