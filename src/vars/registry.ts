import type { State } from './scope.js';

/** What filters, tests and functions get besides their arguments. */
export interface CallEnv {
  state: State;
  filter(name: string, value: unknown, args?: unknown[], kw?: Kw): unknown;
  test(name: string, value: unknown, args?: unknown[], kw?: Kw): boolean;
}

export type Kw = Record<string, unknown>;
export type FilterFn = (value: unknown, args: unknown[], kw: Kw, env: CallEnv) => unknown;
export type TestFn = (value: unknown, args: unknown[], kw: Kw, env: CallEnv) => boolean;
export type GlobalFn = (args: unknown[], kw: Kw, env: CallEnv) => unknown;

/** Positional argument i, or keyword `name`, or the default. */
export function arg<T = unknown>(args: unknown[], kw: Kw, i: number, name: string, dflt?: T): T {
  if (i < args.length) return args[i] as T;
  if (Object.hasOwn(kw, name)) return kw[name] as T;
  return dflt as T;
}
