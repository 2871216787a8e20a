/** What the loaders pass down while reading a playbook, its roles and task files. */
import type { SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { ActionTask, Play, RoleFrom, RoleRef, TaskNode } from './types.js';
import type { FileCache, Loc, Problems } from './source.js';

/** A role used somewhere (`roles:`, `import_role`, a meta dependency). */
export interface RoleUse {
  name: string;
  from?: RoleFrom;
  params: Vars;
  /** Where the role was named (a SourceRef for include_role at run time: the including task). */
  loc: Loc | SourceRef;
  /** The directory of the role that depends on this one (its siblings are searched too). */
  parentDir?: string;
}

export interface ExpandedRole {
  role: RoleRef;
  /** Dependencies' tasks first, then the role's own. */
  tasks: TaskNode[];
  handlers: TaskNode[];
  /** This role and its dependencies, dependencies first. */
  roles: RoleRef[];
}

/** One load (a playbook, or a task file / role at run time). */
export interface LoadCtx {
  problems: Problems;
  cache: FileCache;
  playbookDir: string;
  searchPath: string[];
  /** Roles and handlers brought in by `import_role` while loading a play: they join the play. */
  sink: { roles: RoleRef[]; handlers: TaskNode[] };
  /** Role expansions already done in this play (`name + params`), run once as in Ansible. */
  seenRoles: Set<string>;
}

/** Where a task list is being read. */
export interface ListCtx {
  /** Relative `include_tasks` / `import_tasks` paths start here (the including file's directory). */
  baseDir: string;
  role?: RoleRef;
  handler: boolean;
  /** Files being imported (cycle check) and roles being expanded (dependency chain). */
  importStack: string[];
  roleStack: string[];
}

/** Where each `notify` name was written (for validate's "no such handler" check). */
export const notifySources = new WeakMap<ActionTask, SourceRef[]>();

/** Where each play's `hosts:` value was written (for validate's inventory check). */
export const hostsSources = new WeakMap<Play, SourceRef>();
