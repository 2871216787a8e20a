import type { SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';

/** Where a template is rendered, for error messages: source position, host, task, and which field. */
export interface Where {
  src?: SourceRef;
  host?: string;
  task?: string;
  field?: string;
}

/** The `Where` of one task on one host: what the executor passes down, before adding a field. */
export type TaskWhere = { src: SourceRef; host: string; task: string };

/** Options of renderString (the `template` module). */
export interface RenderOptions {
  /** Directories searched for `{% include %}` (no filesystem access when absent). */
  searchPath?: string[];
  /** Jinja's trim_blocks: drop the first newline after a block tag (default true, as Ansible). */
  trimBlocks?: boolean;
  /** Jinja's lstrip_blocks: strip spaces before a block tag (default false, as Ansible). */
  lstripBlocks?: boolean;
}

/**
 * The variable layers of one host for one task, lowest precedence first (docs/variables.md).
 * Lists hold several layers of one level, outermost / earliest first (later entries win).
 */
export interface LayeredVarsInput {
  roleDefaults?: Vars[];
  /** Inventory variables, already merged by the inventory layer (all < parent < child < host). */
  inventory?: Vars;
  facts?: Vars;
  playVars?: Vars;
  varsFiles?: Vars[];
  roleVars?: Vars[];
  roleParams?: Vars[];
  /** Block vars, outermost block first (the inner block wins). */
  blockVars?: Vars[];
  taskVars?: Vars;
  includeParams?: Vars[];
  /** Registered results and set_fact values. */
  registered?: Vars;
  extraVars?: Vars;
  /** Magic variables (buildMagicVars); they are not overridable and sit above every layer. */
  magic?: Vars;
}

/** Input of buildMagicVars. */
export interface MagicVarsInput {
  /** Group name → hosts, including `all` and `ungrouped` (inventory's groupsMap). */
  groups: Record<string, string[]>;
  /**
   * Returns a host's complete, unrendered variables (its layered vars including its own magic vars), or
   * undefined for a host not in the inventory. Called lazily, on the first `hostvars[h]` access.
   */
  hostvars: (host: string) => Vars | undefined;
  host: string;
  groupNames: string[];
  playHosts: string[];
  playHostsAll?: string[];
  playBatch: string[];
  checkMode: boolean;
  playbookDir: string;
  rolePath?: string;
  /** The inventory file the host was first declared in (`inventory_file`; its directory is `inventory_dir`). */
  inventoryFile?: string;
}
