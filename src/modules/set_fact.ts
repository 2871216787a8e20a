import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * set_fact — set host variables (facts) from the task's already-rendered arguments: `set_fact: { a: 1 }`.
 * `cacheable` is accepted (there is no fact cache; the facts last for the run). Runs on the controller; never a
 * change.
 *
 * Returns: ansible_facts (the new variables), the executor stores them for the host.
 */
export const setFactSchema = {
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  properties: { cacheable: { type: 'boolean' } },
  additionalProperties: true,
};

export const setFactModule: ModuleDef<Record<string, unknown>> = {
  name: 'set_fact',
  summary: 'Set host variables (facts) for the rest of the run',
  schema: setFactSchema,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    const { cacheable, ...facts } = ctx.args;
    return {
      changed: false,
      steps: [],
      result: { changed: false, ansible_facts: facts, ...(cacheable !== undefined ? { cacheable } : {}) },
    };
  },
};

registerModule(setFactModule);
