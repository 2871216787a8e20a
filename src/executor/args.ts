import type { ErrorObject, ValidateFunction } from 'ajv';
import { LifeboatError } from '../errors.js';
import type { ModuleDef } from '../modules/types.js';
import { compileSchema } from '../schema-validators.js';
import type { TaskWhere } from '../vars/index.js';

/**
 * Checks rendered module arguments against the module's JSON schema. Schemas are compiled once per module
 * (not per task or host). `omit` placeholders are dropped before the check.
 */
const compiled = new WeakMap<object, ValidateFunction>();

function validator(def: ModuleDef): ValidateFunction {
  let v = compiled.get(def.schema);
  if (!v) {
    v = compileSchema(def.schema);
    compiled.set(def.schema, v);
  }
  return v;
}

/** Removes every key (and list element) whose rendered value is the `omit` placeholder. */
export function dropOmitted(value: unknown, omit: string | undefined): unknown {
  if (omit === undefined) return value;
  if (Array.isArray(value)) return value.filter((v) => v !== omit).map((v) => dropOmitted(v, omit));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== omit) out[k] = dropOmitted(v, omit);
    return out;
  }
  return value;
}

/**
 * Arguments written as one template (`helm: "{{ defaults | combine(item) }}"`, kept by the loader as
 * `_variable_params`): its rendered mapping, with the task's other arguments (`args:`) over it, as Ansible merges them.
 */
export function variableParams(def: ModuleDef, args: Record<string, unknown>, where: TaskWhere): Record<string, unknown> {
  if (!('_variable_params' in args)) return args;
  const { _variable_params: v, ...rest } = args;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new LifeboatError('E_MODULE', `the arguments of module ${def.name} are one template, which rendered to ${Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v}`}, not a mapping`, {
      src: where.src,
      host: where.host,
      task: where.task,
      hint: 'make the template give a mapping (e.g. `{{ defaults | combine(item) }}` of dict variables), or write the arguments as a mapping',
    });
  }
  return { ...(v as Record<string, unknown>), ...rest };
}

export function checkArgs(
  def: ModuleDef,
  args: Record<string, unknown>,
  where: TaskWhere,
): void {
  const v = validator(def);
  if (v(args)) return;
  const errs = (v.errors ?? []).map(describe);
  throw new LifeboatError('E_MODULE', `invalid arguments for module ${def.name}: ${errs.join('; ')}`, {
    src: where.src,
    host: where.host,
    task: where.task,
    hint: `check the rendered values of the task's arguments (docs/modules.md lists ${def.name}'s arguments)`,
  });
}

function describe(e: ErrorObject): string {
  const path = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `unknown argument "${path ? `${path}.` : ''}${extra}"`;
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    return `missing required argument "${path ? `${path}.` : ''}${missing}"`;
  }
  return `${path || 'arguments'} ${e.message ?? 'is invalid'}`;
}
