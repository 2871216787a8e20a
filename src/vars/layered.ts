import type { Vars } from '../inventory/types.js';
import { UNSAFE_KEYS, unsafeKeys } from './scope.js';
import type { LayeredVarsInput } from './types.js';

/**
 * Merge the variable layers of one host for one task (docs/variables.md), lowest precedence first;
 * a later layer replaces a variable of an earlier one whole (no deep merge, as Ansible's default).
 */
export function layeredVars(l: LayeredVarsInput): Vars {
  const layers: Array<[Vars | undefined, boolean]> = [
    ...(l.roleDefaults ?? []).map((v) => [v, false] as [Vars, boolean]),
    [l.inventory, false],
    [l.facts, true],
    [l.playVars, false],
    ...(l.varsFiles ?? []).map((v) => [v, false] as [Vars, boolean]),
    ...(l.roleVars ?? []).map((v) => [v, false] as [Vars, boolean]),
    ...(l.roleParams ?? []).map((v) => [v, false] as [Vars, boolean]),
    ...(l.blockVars ?? []).map((v) => [v, false] as [Vars, boolean]),
    [l.taskVars, false],
    ...(l.includeParams ?? []).map((v) => [v, false] as [Vars, boolean]),
    [l.registered, true],
    [l.extraVars, false],
    [l.magic, true],
  ];
  const out: Vars = {};
  const unsafe = new Set<string>();
  for (const [layer, isData] of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      out[k] = v;
      if (isData) unsafe.add(k);
      else unsafe.delete(k);
    }
  }
  // Facts, registered results, set_fact values and magic variables are data: never rendered again.
  if (unsafe.size) (out as Record<symbol, unknown>)[UNSAFE_KEYS] = unsafe;
  return out;
}

/**
 * `vars` plus `data` (loop variables, results) whose values are never rendered again — the safe way to add
 * `item` after layeredVars (a plain spread would let an item holding `{{` be rendered as a template).
 */
export function withDataVars(vars: Vars, data: Vars): Vars {
  const out: Vars = { ...vars, ...data };
  const unsafe = new Set(unsafeKeys(vars) ?? []);
  for (const k of Object.keys(data)) unsafe.add(k);
  (out as Record<symbol, unknown>)[UNSAFE_KEYS] = unsafe;
  return out;
}
