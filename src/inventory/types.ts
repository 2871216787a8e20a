import type { SourceRef } from '../errors.js';

export type Vars = Record<string, unknown>;

/**
 * Where a host's or group's `vars` came from, kept apart for Ansible's precedence (inventory-file vars of
 * every group rank below every group_vars/ file; host_vars/ files above inline host vars).
 * `vars` is always `{ ...inline, ...files }`. Optional: an inventory built by hand may omit it, and then
 * `vars` counts as inline.
 */
export interface VarLayers {
  /** Set in the inventory file itself. */
  inline: Vars;
  /** From group_vars/ or host_vars/ files. */
  files: Vars;
}

export interface InventoryHost {
  name: string;
  /** Variables set on the host itself (inline in the inventory, then host_vars/). */
  vars: Vars;
  varLayers?: VarLayers;
  /** Where the host was first declared. */
  src?: SourceRef;
}

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly in this group (not through children). */
  hosts: Set<string>;
  /** Direct child groups. */
  children: Set<string>;
  /** Group variables (inline, then group_vars/). */
  vars: Vars;
  varLayers?: VarLayers;
  src?: SourceRef;
}

/**
 * A resolved inventory. Every host is in `all`; hosts in no other group are also in `ungrouped`
 * (as in Ansible). `order` keeps hosts in the order they were declared.
 */
export interface Inventory {
  hosts: Map<string, InventoryHost>;
  groups: Map<string, InventoryGroup>;
  order: string[];
  /** The files the inventory was read from (for the plan's input hash). */
  sources: string[];
}
