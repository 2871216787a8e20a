import type { Connection } from '../connection/types.js';
import type { SecretSet } from '../secrets.js';
import type { ResumeHint } from '../modules/types.js';
import type { Inventory, Vars } from '../inventory/types.js';
import type { Plan } from '../plan-types.js';
import type { Playbook } from '../playbook/types.js';
import type { HostCounts, Reporter } from './events.js';

/** The pool the executor takes connections from (src/connection's createConnectionPool fits it). */
export interface ConnectionPool {
  /** `vars`: the variables (of the task that needs the host) its `ansible_*` connection variables are rendered with. */
  get(host: string, vars?: Vars): Promise<Connection>;
  closeAll(): Promise<void>;
}

export interface RunOptions {
  inventory: Inventory;
  playbooks: Playbook[];
  /** A host pattern (`--limit`), intersected with each play's hosts. */
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  /** `-e`: the highest variable precedence. */
  extraVars: Vars;
  /** Hosts a task runs on at the same time (default 20). */
  forks: number;
  /** Plan mode: the same walk and module.plan() calls, `host_plan` events, no step runs. */
  check: boolean;
  /** Include file diffs in events. */
  diff: boolean;
  startAtTask?: string;
  connections: ConnectionPool;
  reporter: Reporter;
  signal?: AbortSignal;
  /**
   * The run's one SecretSet (become passwords, tokens, passphrases), the very object the reporters mask
   * with: the executor adds to it (passwords of hosts, `secret` variables, steps' own secrets) and every
   * event is masked with it before it is emitted.
   */
  secrets: SecretSet;
  rolesPath?: string[];
  /**
   * Plan mode without connecting (added field): no host is probed; whatever a module would need to read
   * from a host is reported as unknown.
   */
  offline?: boolean;
  /**
   * `lifeboat apply` (added field): the reviewed plan. Before a task's steps run on a host, they are compared
   * with the plan's; if they differ, nothing more starts and the run ends with exit code 5 (plan stale).
   */
  expect?: Plan;
}

export interface RunSummary {
  exitCode: number;
  hosts: Record<string, HostCounts>;
  durationMs: number;
  /** The run ended early (exit ≠ 0) inside work a module can continue: the extra variables that do. */
  resume?: ResumeHint;
}

export const DEFAULT_FORKS = 20;
/** Bytes of stdout/stderr an event carries (the rest is cut, with a marker). */
export const OUTPUT_LIMIT = 4096;
