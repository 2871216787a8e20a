import { LifeboatError } from '../errors.js';
import { renderValue } from '../vars/index.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * set_fact — set host variables (facts) from the task's already-rendered arguments: `set_fact: { a: 1 }`.
 * As Ansible's action: a key may be a template (`"{{ item.key }}": …`, `"metrics_{{ name }}": …`), rendered
 * with the host's variables, and must then be a valid variable name; a string value `yes`/`no`/`true`/`false`
 * (any case) becomes a boolean. `cacheable` is a keyword, not a fact: accepted (there is no fact cache; the
 * facts last for the run). Runs on the controller; never a change.
 *
 * Returns: ansible_facts (the new variables), the executor stores them for the host.
 */
export const setFactSchema = {
  type: 'object',
  minProperties: 1,
  // A templated key is checked after rendering (plan below).
  propertyNames: { pattern: '^([A-Za-z_][A-Za-z0-9_]*|.*\\{\\{.*\\}\\}.*)$' },
  properties: { cacheable: { type: 'boolean' } },
  additionalProperties: true,
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BOOLEAN_WORDS: Record<string, boolean> = { yes: true, true: true, no: false, false: false };

export const setFactModule: ModuleDef<Record<string, unknown>> = {
  name: 'set_fact',
  summary: 'Set host variables (facts) for the rest of the run',
  schema: setFactSchema,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    const { cacheable, ...raw } = ctx.args;
    const facts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      const name = k.includes('{{') ? String(renderValue(k, ctx.vars, { host: ctx.host, field: 'set_fact key' })) : k;
      if (!IDENTIFIER.test(name))
        throw new LifeboatError(
          'E_MODULE',
          `set_fact: the variable name '${name}' is not valid${name !== k ? ` (from the key ${k})` : ''}`,
          {
            host: ctx.host,
            hint: 'variable names start with a letter or underscore and hold only letters, digits and underscores',
          },
        );
      facts[name] = typeof v === 'string' && Object.hasOwn(BOOLEAN_WORDS, v.toLowerCase()) ? BOOLEAN_WORDS[v.toLowerCase()] : v;
    }
    return {
      changed: false,
      steps: [],
      result: { changed: false, ansible_facts: facts, ...(cacheable !== undefined ? { cacheable } : {}) },
    };
  },
};

registerModule(setFactModule);
