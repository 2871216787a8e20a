import type { Connection } from '../connection/types.js';
import type { Vars } from '../inventory/types.js';
import type { ConnectionPool } from './options.js';

/**
 * A connection that opens (through the pool, which reuses one per host) only when a module first uses it,
 * so controller-only modules (debug, set_fact, assert, meta) never connect, and a connect failure surfaces
 * as the host being unreachable in the task that needed it. `vars` gives the task's variables for the host
 * (its connection variables are rendered in them when this opens the host's connection).
 */
export function lazyConnection(pool: ConnectionPool, host: string, offline?: OfflineGuard, vars?: () => Vars): Connection {
  let conn: Promise<Connection> | undefined;
  const open = (): Promise<Connection> => {
    if (offline) return offline.refuse(host);
    conn ??= pool.get(host, vars?.());
    return conn;
  };
  return {
    host,
    exec: async (cmd, opts) => (await open()).exec(cmd, opts),
    put: async (src, dest, opts) => (await open()).put(src, dest, opts),
    get: async (src, dest, opts) => (await open()).get(src, dest, opts),
    // The pool owns the connection; closing is the pool's job (closeAll at the end of the run).
    close: async () => {},
  };
}

/**
 * Offline plan: every connection a module asks for is refused, and the refusal is remembered, so the task is
 * "unknown until run" even when the module caught the error (e.g. as an unreachable member) and went on.
 */
export class OfflineGuard {
  refused = false;
  refuse(host: string): Promise<never> {
    this.refused = true;
    return Promise.reject(new OfflineError(host));
  }
}

/** Offline plan: a module tried to look at a host. */
export class OfflineError extends Error {
  constructor(readonly host: string) {
    super(`offline plan: not connecting to ${host}`);
    this.name = 'OfflineError';
  }
}

const UNREACHABLE_CODES = new Set(['E_CONNECT', 'E_HOSTKEY', 'E_UNREACHABLE']);

/** Errors that mean the host could not be reached (not that the task failed). */
export function isUnreachableError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && UNREACHABLE_CODES.has(String((e as { code?: unknown }).code));
}

export function isInterrupted(e: unknown, signal: AbortSignal | undefined): boolean {
  if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'E_INTERRUPTED') return true;
  return signal?.aborted === true;
}

/** Sleep that ends early (resolving) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
