import type { SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';

/**
 * The loaded, validated playbook model. Values that may hold templates stay as raw (unrendered) data;
 * rendering happens per host in the planner/executor. Every node carries its source position.
 */

export interface Playbook {
  file: string;
  dir: string;
  plays: Play[];
  /**
   * (Added field.) Every file read to build this playbook, sorted: the playbook, imported playbooks and task
   * files, static vars files, role files. For the plan's input hash (files read at run time are not in it).
   */
  files?: string[];
}

export type Serial = Array<number | string>; // e.g. [1, "30%", 5]; a single value becomes [value]

export interface Play {
  src: SourceRef;
  name: string;
  hosts: string; // a host pattern (may be templated)
  vars: Vars;
  /**
   * Loaded at load time, relative to the playbook. `deferred: true` (added field): the path is a template;
   * `vars` is then {} — render `path` for each host and load that file (relative to `dir`) at run time.
   * `firstFound`: the entry was a list (Ansible's first-found form) with a template in it: at run time, the
   * first of these paths (rendered per host) that exists is loaded.
   */
  varsFiles: Array<{ path: string; vars: Vars; deferred?: boolean; dir?: string; firstFound?: string[] }>;
  preTasks: TaskNode[];
  /** Role tasks (already expanded from `roles:`), then `tasks:`. */
  tasks: TaskNode[];
  postTasks: TaskNode[];
  handlers: TaskNode[];
  serial?: Serial;
  /** A boolean, or a template (rendered per host when a task runs): become, any_errors_fatal, run_once, no_log. */
  become?: boolean | string;
  becomeUser?: string;
  remoteUser?: string;
  gatherFacts: boolean;
  anyErrorsFatal: boolean | string;
  runOnce?: boolean | string;
  noLog?: boolean | string;
  connection?: string;
  /** `timeout:` (added field), inherited by every task. */
  timeout?: number | string;
  maxFailPercentage?: number;
  tags: string[];
  /** A mapping, or a template giving one (rendered per host). */
  environment: Record<string, unknown> | string;
  /** Roles applied by this play, in order (dependencies first), for `role_path` and defaults. */
  roles: RoleRef[];
  /** `vars_prompt:` (added field): asked before the run (the CLI), unless `-e` gives the variable. */
  varsPrompt?: VarsPrompt[];
}

/** One `vars_prompt` entry: the value becomes a play variable (a secret when `private`, Ansible's default). */
export interface VarsPrompt {
  name: string;
  prompt: string;
  private: boolean;
  confirm: boolean;
  /** The value is data: templates in it are not rendered. */
  unsafe: boolean;
  default?: string;
  src: SourceRef;
}

export interface RoleRef {
  name: string;
  path: string;
  /** Role parameters given where the role is used. */
  params: Vars;
  defaults: Vars;
  vars: Vars;
}

/** Fields common to tasks and blocks (inherited by the tasks inside a block). */
export interface TaskCommon {
  src: SourceRef;
  name?: string;
  when: string[]; // all must hold; raw expressions
  tags: string[];
  vars: Vars;
  /** become, run_once, no_log, any_errors_fatal: a boolean or a template rendered per host. */
  become?: boolean | string;
  becomeUser?: string;
  /** `remote_user:` (added field): the login user when no variable sets `ansible_user` (may be a template). */
  remoteUser?: string;
  /** A mapping, or a template giving one. */
  environment?: Record<string, unknown> | string;
  ignoreErrors?: boolean | string;
  ignoreUnreachable?: boolean;
  delegateTo?: string;
  /** With delegateTo: facts the task sets (set_fact, gathered facts) go to the delegated host. */
  delegateFacts?: boolean;
  /** `connection:` (added field): `local` runs the task on the controller; ssh/smart/paramiko: the inventory's. */
  connection?: string;
  /** `throttle:` (added field): at most this many hosts at once; a number or a template. */
  throttle?: number | string;
  /** `timeout:` (added field): seconds the module may run on a host (per loop item and attempt); a number or a template. */
  timeout?: number | string;
  runOnce?: boolean | string;
  noLog?: boolean | string;
  checkMode?: boolean;
  anyErrorsFatal?: boolean | string;
  /** The role this task came from (for role vars/defaults and role_path). */
  role?: RoleRef;
}

export interface ActionTask extends TaskCommon {
  kind: 'action';
  module: string; // canonical short name, e.g. "command" (FQCN mapped)
  args: Vars; // raw args; a free-form string is put under `_raw_params`
  register?: string;
  loop?: unknown; // raw expression or list
  loopControl?: { loopVar: string; label?: string; indexVar?: string; pause?: number };
  until?: string;
  /** A number, or a template rendered per host when the task runs. */
  retries?: number | string;
  delay?: number | string;
  /** `async`: the task's seconds; with `poll: 0` a job started in the background (a number or a template). */
  async?: number | string;
  poll?: number | string;
  failedWhen?: string[];
  changedWhen?: string[];
  notify: string[];
  /** Names a handler listens to (handlers only). */
  listen?: string[];
}

export interface BlockTask extends TaskCommon {
  kind: 'block';
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
}

/**
 * `tasks_from`, `vars_from`, `defaults_from`, `handlers_from` of include_role / import_role: the role's
 * `tasks/<tasks>` (… `handlers/<handlers>`) instead of its `main`.
 */
export interface RoleFrom {
  tasks?: string;
  vars?: string;
  defaults?: string;
  handlers?: string;
}

/** `include_tasks` / `include_role`: resolved at run time (file name may be templated). */
export interface IncludeTask extends TaskCommon {
  kind: 'include';
  what: 'tasks' | 'role';
  target: string; // file or role name (raw)
  loop?: unknown;
  loopControl?: { loopVar: string; label?: string; indexVar?: string };
  baseDir: string;
  params: Vars;
  /** include_role `tasks_from` / `vars_from` / `defaults_from` / `handlers_from` (added field). */
  from?: RoleFrom;
  /** `apply:` (added field): keywords applied to each included task, as a block around them would. */
  apply?: TaskCommon;
  /** `register:` (added field): the include's own result (`{include, include_args, changed}`), per host. */
  register?: string;
}

export type TaskNode = ActionTask | BlockTask | IncludeTask;
