import type { Readable } from 'node:stream';
import type { Connection, ExecResult } from '../connection/types.js';
import type { Vars } from '../inventory/types.js';
import type { FileDiff } from '../plan-types.js';

/**
 * The module contract (pyinfra's idea): a module reads facts with read-only probes and returns an
 * Operation: the steps it would run. No steps means "no change". `lifeboat plan` calls `plan()` and prints
 * the steps; `lifeboat run` calls the very same `plan()` at execution time (facts are fresh) and then runs
 * the steps. So the preview and the run cannot drift.
 */

/** One thing done on a host (or the controller). */
export type Step =
  | {
      kind: 'exec';
      /** A complete POSIX shell command line. Every interpolated value is quoted with shellQuote(). */
      cmd: string;
      description?: string;
      /** Set when this step destroys or replaces something (a service stopped, data moved, a restore). */
      destructive?: string;
      become?: boolean;
      env?: Record<string, string>;
      stdin?: string;
      timeoutMs?: number;
      /** Exit codes that count as success (default [0]). */
      okRc?: number[];
      /** Secrets that appear in cmd/stdin and must be masked in every output. */
      secrets?: string[];
    }
  | {
      kind: 'put';
      dest: string;
      /** Either in-memory content, a local (controller) file path, or a stream opened when the step runs. */
      content?: string;
      src?: string;
      /** E.g. a snapshot decrypted on the fly; `src` then names it for the plan. */
      open?: () => Promise<Readable>;
      /**
       * The bytes' sha256 and size, when known: the copy then streams through one exec channel with sha256
       * computed on both sides as the bytes flow, and the host moves it into place only if it matches
       * (connection/put-verified.ts) — nothing is read again. Not with owner/group.
       */
      verify?: { sha256: string; size: number };
      mode?: number;
      owner?: string;
      group?: string;
      description?: string;
      destructive?: string;
    }
  | {
      kind: 'get';
      src: string;
      /** Local (controller) path. */
      dest: string;
      description?: string;
    };

export type { FileDiff } from '../plan-types.js';

export interface StepOutcome {
  step: Step;
  exec?: ExecResult;
  /** Set when the step failed (exec rc not in okRc, killed, or a put/get error): what went wrong. */
  error?: string;
}

/** What a module reports (and what `register` stores), Ansible-shaped. */
/** A result's text for the reporters when it has no `msg` (debug `var=`: `"x": value`). A symbol key, so it is
 * neither registered, templated nor serialised with the result (Ansible's registered result has no such key). */
export const DISPLAY: unique symbol = Symbol('lifeboat.display');

export interface ModuleResult {
  [DISPLAY]?: string;
  changed: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  stdout_lines?: string[];
  stderr_lines?: string[];
  /** set_fact and fact-gathering modules put variables here; the executor stores them as host facts. */
  ansible_facts?: Vars;
  [key: string]: unknown;
}

export interface Operation {
  /** Will the steps change something? 'unknown' when it cannot be known before running (e.g. `command`). */
  changed: boolean | 'unknown';
  steps: Step[];
  diff?: FileDiff[];
  /** Things the plan can still say (e.g. "the restore source is member etcd-1"). */
  notes?: string[];
  /** Result when no step runs, or the base of the result. */
  result?: Partial<ModuleResult>;
  /**
   * Builds the result after the steps ran (e.g. `command` returns rc/stdout). Called only in a real run.
   * Without it the result is { changed: steps.length > 0, ...result } plus the last exec's rc/stdout/stderr.
   */
  finish?: (outcomes: StepOutcome[]) => ModuleResult | Promise<ModuleResult>;
  /** Controller-side effect for controller-only modules (pause, meta, …), run in a real run only. */
  control?: ControlAction;
  /**
   * A real run only: from this step on, a run that ends early (interrupted, failed, lost) can be continued by
   * running it again with these extra variables — the CLI prints the exact command. `null` clears it once the
   * steps ran (the work it guarded is finished).
   */
  resume?: ResumeHint | null;
}

/** How to continue a run that ended early: extra variables to add to the same command, and why. */
export interface ResumeHint {
  vars: Record<string, string>;
  why: string;
}

export type ControlAction =
  | { kind: 'flush_handlers' }
  | { kind: 'end_play' }
  | { kind: 'end_host' }
  | { kind: 'end_role' }
  | { kind: 'pause'; seconds: number };

/**
 * What every fact read needs: the connection, the inventory host it is for, become, and the run's cancel signal
 * (Ctrl-C kills a probe as it kills a step). A ModuleContext is one; `probeOf` makes one for another host.
 */
export interface Probe {
  conn: Connection;
  host: string;
  become: boolean;
  signal?: AbortSignal;
}

export interface ModuleContext<A = Record<string, unknown>> {
  /** Inventory name of the host the task runs for. */
  host: string;
  /** Rendered arguments, validated against the module's schema. */
  args: A;
  /** All variables visible to the task on this host (hostvars, facts, registered, magic). */
  vars: Vars;
  /**
   * The host's connection (the delegate's when delegate_to is used). In plan() use it for read-only
   * probes only: stat, checksums, reading files, status queries.
   */
  conn: Connection;
  /** True in `lifeboat plan` / `--check`. */
  check: boolean;
  /** Whether the task runs with become (passed on to exec steps by the executor). */
  become: boolean;
  /** Controller-side paths. */
  playbookDir: string;
  roleDir?: string;
  /** Opens the connection of another inventory host (for modules that look at every member). */
  connect(host: string): Promise<Connection>;
  signal?: AbortSignal;
  /**
   * Plan mode only: the steps that earlier tasks of this plan will have run on this host (the connection's
   * host) before this task. The probes see the host as it is now; a module whose probed state an earlier
   * planned step changes (a service stopped, then started) plans from that instead. Undefined in a run.
   */
  earlierSteps?: readonly Step[];
}

export interface ModuleDef<A = Record<string, unknown>> {
  name: string;
  /** One-line description, for the docs. */
  summary: string;
  /** JSON Schema (ajv) of the arguments. */
  schema: Record<string, unknown>;
  /** `command: ls -l` style: the free-form string is stored as args._raw_params (and `cmd` for command/shell). */
  freeForm?: boolean;
  /** Runs only on the controller, never opens the host connection (debug, set_fact, assert, fail, pause, meta). */
  controllerOnly?: boolean;
  /** Read facts (read-only) and say what would be done. Same code for the plan and the run. */
  plan(ctx: ModuleContext<A>): Promise<Operation>;
}
