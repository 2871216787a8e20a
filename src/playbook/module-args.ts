/**
 * A task's module call: the module's arguments gathered from the module key (mapping, `key=value` line or
 * free text), and `args:`, then checked against the module's JSON schema. Templated values are left for
 * the run (they are checked after rendering).
 */
import type { ErrorObject } from 'ajv';
import { nearest, type SourceRef } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { ModuleDef } from '../modules/types.js';
import { compile, convertAjvErrors, didYouMean, expected, isSecretName, knownProperties, typeOfData } from './ajv-errors.js';
import { toBool } from './coerce.js';
import { parseFreeForm, parseKv } from './kv.js';
import { BOOL_STRINGS } from './schemas.js';
import { at, isMapping, isTemplated, type Loc, type Problems, srcOf } from './source.js';

/** Schema properties never taken from `k=v` tokens of free text. */
const NOT_OPTIONS = new Set(['_raw_params', 'cmd', 'argv', 'free_form']);

function propSchemas(def: ModuleDef<Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const p = (def.schema as { properties?: Record<string, Record<string, unknown>> }).properties;
  return p ?? {};
}

/** Quoted `"yes"` for a boolean argument, `"3"` for an integer one: converted as Ansible converts them. */
function coerce(value: unknown, schema: Record<string, unknown> | undefined): unknown {
  if (typeof value !== 'string' || !schema || isTemplated(value)) return value;
  if (schema.type === 'boolean' && BOOL_STRINGS.includes(value)) return ['yes', 'true', 'on'].includes(value.toLowerCase());
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    return Number(value);
  }
  return value;
}

/**
 * Gather and check the arguments of `def` used as `task[moduleKey]` at `loc` (the task). Problems are
 * recorded; the args are returned even when some are wrong (so validation can go on).
 */
export function moduleArgs(
  def: ModuleDef<Record<string, unknown>>,
  task: Record<string, unknown>,
  moduleKey: string,
  loc: Loc,
  problems: Problems,
): Vars {
  const raw = task[moduleKey];
  const valueLoc = at(loc, moduleKey);
  const props = propSchemas(def);
  const args: Vars = {};
  /** Values of a no_log task are never shown in messages. */
  const hide = toBool(task.no_log) === true;
  /** Where each argument was written: a path, or (for one-line forms) the module's value. */
  const origin = new Map<string, Loc | { flat: Loc }>();

  if (isMapping(task.args)) {
    for (const [k, v] of Object.entries(task.args)) {
      args[k] = v;
      origin.set(k, at(loc, 'args', k));
    }
  }
  if (typeof raw === 'string' && isTemplated(raw) && !def.freeForm && !raw.includes('=')) {
    // `helm: "{{ defaults | combine(item) }}"`: the whole mapping is one template (Ansible's `_variable_params`),
    // rendered per host at run time, `args:` over it; it is checked against the schema then.
    args._variable_params = raw;
    return args;
  } else if (typeof raw === 'string' && def.freeForm) {
    const options = new Set(Object.keys(props).filter((k) => !NOT_OPTIONS.has(k)));
    const ff = parseFreeForm(raw, options);
    args._raw_params = ff.raw;
    origin.set('_raw_params', { flat: valueLoc });
    for (const [k, v] of Object.entries(ff.options)) {
      args[k] = v;
      origin.set(k, { flat: valueLoc });
    }
  } else if (typeof raw === 'string') {
    const kv = parseKv(raw);
    if (!kv.ok) {
      problems.add(
        'E_MODULE',
        valueLoc,
        `module \`${def.name}\` takes key=value arguments, and ${hide ? 'a word' : `\`${kv.bad}\``} is not one`,
        'write the arguments as a mapping under the module name',
      );
      return args;
    }
    for (const [k, v] of Object.entries(kv.args)) {
      args[k] = v;
      origin.set(k, { flat: valueLoc });
    }
  } else if (isMapping(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      args[k] = v;
      origin.set(k, at(valueLoc, k));
    }
  } else if (raw !== null && raw !== undefined) {
    problems.add('E_MODULE', valueLoc, `arguments of module \`${def.name}\` must be a mapping, got ${typeOfData(raw)}`);
    return args;
  }

  for (const k of Object.keys(args)) args[k] = coerce(args[k], props[k]);

  const validate = compile(def.schema);
  if (validate(args)) return args;
  const position = (path: Array<string | number>, key: boolean): SourceRef => {
    const [first, ...rest] = path;
    if (first === undefined) return srcOf(at(loc, moduleKey), { key: true });
    const o = origin.get(String(first));
    if (!o) return srcOf(at(loc, moduleKey), { key: true });
    if ('flat' in o) return srcOf(o.flat);
    return srcOf(at(o, ...rest), { key: key && rest.length === 0 });
  };
  // `dset:` for `dest:` is one mistake: report the unknown argument (with "did you mean"), not also a missing one.
  const meant = new Set(
    (validate.errors ?? [])
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => nearest(String((e.params as { additionalProperty: string }).additionalProperty), knownProperties(e))),
  );
  const errors = (validate.errors ?? []).filter(
    (e) => e.keyword !== 'required' || !meant.has(String((e.params as { missingProperty: string }).missingProperty)),
  );
  problems.push(
    ...convertAjvErrors(errors, {
      code: 'E_MODULE',
      position,
      describe: (e, path) => describeArgError(def.name, e, path, hide),
    }),
  );
  return args;
}

function argName(path: string[]): string {
  return path.map((p) => (/^\d+$/.test(p) ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

export function describeArgError(
  module: string,
  e: ErrorObject,
  path: string[],
  hide = false,
): { message: string; hint?: string } {
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = knownProperties(e);
    const where = path.length ? ` in \`${argName(path)}\`` : '';
    const dym = didYouMean(extra, known);
    return {
      message: `module \`${module}\` has no argument \`${extra}\`${where}${dym ? ` — ${dym}` : ''}`,
      hint: known.length ? `valid arguments: ${known.join(', ')}` : 'remove it',
    };
  }
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    const where = path.length ? ` in \`${argName(path)}\`` : '';
    return { message: `module \`${module}\` needs argument \`${missing}\`${where}`, hint: `add \`${missing}:\` to the task` };
  }
  const choice = requiredChoice(e);
  if (choice) {
    const which = choice.map((c) => `\`${c}\``).join(', ');
    const tooMany = e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas != null;
    return {
      message: tooMany ? `module \`${module}\` takes only one of ${which}` : `module \`${module}\` needs one of ${which}`,
    };
  }
  const name = path.length ? `argument \`${argName(path)}\`` : 'the arguments';
  if (['type', 'enum', 'anyOf', 'oneOf', 'const'].includes(e.keyword)) {
    return { message: `${name} of module \`${module}\` must be ${expected(e.parentSchema)}, got ${typeOfData(e.data, hide || path.some(isSecretName))}` };
  }
  return { message: `${name} of module \`${module}\` ${e.message ?? `fails ${e.keyword}`}` };
}

/** `anyOf: [{required: [a]}, {required: [b]}]` → ['a', 'b']. */
function requiredChoice(e: ErrorObject): string[] | undefined {
  if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') return undefined;
  const alts = (e.schema ?? []) as Array<{ required?: string[] }>;
  if (!Array.isArray(alts) || !alts.every((a) => Array.isArray(a.required))) return undefined;
  return alts.flatMap((a) => a.required ?? []);
}
