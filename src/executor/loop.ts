import type { SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { isLookupLoop } from '../playbook/common.js';
import { renderValue, withDataVars } from '../vars/index.js';

/** Lookups whose plugin takes one term per list (with_nested: [a, b] is `query('nested', a, b)`). */
const SPREAD = new Set(['nested', 'subelements', 'inventory_hostnames']);

/**
 * A task's loop value for one host: a list or template, or with_<lookup> (first_found, fileglob, flattened,
 * nested, subelements, inventory_hostnames), which is `query('<lookup>', terms)` with the terms rendered
 * first, as Ansible runs with_* loops.
 */
export function renderLoop(loop: unknown, vars: Vars, where: { src: SourceRef; host: string; task?: string }): unknown {
  const w = { ...where, field: 'loop' };
  if (!isLookupLoop(loop)) return renderValue(loop, vars, w);
  const terms = renderValue(loop.terms, vars, w);
  if (!SPREAD.has(loop.lookup)) {
    return renderValue(`{{ query('${loop.lookup}', __lifeboat_terms) }}`, withDataVars(vars, { __lifeboat_terms: terms }), w);
  }
  const list = Array.isArray(terms) ? terms : [terms];
  const data: Vars = {};
  list.forEach((t, i) => {
    data[`__lifeboat_t${i}`] = t;
  });
  const args = list.map((_, i) => `, __lifeboat_t${i}`).join('');
  return renderValue(`{{ query('${loop.lookup}'${args}) }}`, withDataVars(vars, data), w);
}
