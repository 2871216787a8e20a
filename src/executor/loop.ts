import type { SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { isLookupLoop } from '../playbook/common.js';
import { renderValue, withDataVars } from '../vars/index.js';

/**
 * A task's loop value for one host: a list or template, or with_<lookup> (first_found, fileglob, flattened),
 * which is `query('<lookup>', terms)` with the terms rendered first, as Ansible runs with_* loops.
 */
export function renderLoop(loop: unknown, vars: Vars, where: { src: SourceRef; host: string; task?: string }): unknown {
  const w = { ...where, field: 'loop' };
  if (!isLookupLoop(loop)) return renderValue(loop, vars, w);
  const terms = renderValue(loop.terms, vars, w);
  return renderValue(`{{ query('${loop.lookup}', __lifeboat_terms) }}`, withDataVars(vars, { __lifeboat_terms: terms }), w);
}
