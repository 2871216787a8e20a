import type { SourceRef } from '../errors.js';

export type Vars = Record<string, unknown>;

export interface InventoryHost {
  name: string;
  /** Variables set on the host itself (inline in the inventory, then host_vars/). */
  vars: Vars;
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
