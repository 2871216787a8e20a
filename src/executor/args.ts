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
