import type { Vars } from '../inventory/types.js';
import type { LayeredVarsInput } from './types.js';

/**
 * Merge the variable layers of one host for one task (docs/variables.md), lowest precedence first;
 * a later layer replaces a variable of an earlier one whole (no deep merge, as Ansible's default).
 */
export function layeredVars(l: LayeredVarsInput): Vars {
  const layers: Array<Vars | undefined> = [
    ...(l.roleDefaults ?? []),
    l.inventory,
    l.facts,
    l.playVars,
    ...(l.varsFiles ?? []),
    ...(l.roleVars ?? []),
    ...(l.roleParams ?? []),
    ...(l.blockVars ?? []),
    l.taskVars,
    ...(l.includeParams ?? []),
    l.registered,
    l.extraVars,
    l.magic,
  ];
  const out: Vars = {};
  for (const layer of layers) if (layer) for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v;
  return out;
}
