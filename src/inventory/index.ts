/**
 * Inventories: load INI / YAML inventories (files, directories, group_vars/, host_vars/), merge them,
 * compute each host's inventory variables, and resolve host patterns. See docs/architecture.md.
 */
export { loadInventory } from './load.js';
export { type HostOrder, orderHosts, type PatternOptions, resolvePattern } from './pattern.js';
export type { Inventory, InventoryGroup, InventoryHost, VarLayers, Vars } from './types.js';
export {
  groupNamesOf,
  groupsMap,
  hostGroupsSorted,
  hostInventoryVars,
  hostsOfGroup,
  isImplicitLocalhost,
  LOCALHOST_NAMES,
} from './vars.js';
