/**
 * JSON-schema validators for every check Lifeboat makes (play and task keywords, module arguments, YAML
 * inventories). The schemas known at build time are compiled then: `scripts/gen-validators.ts` (run by
 * `npm run build`) writes ajv's standalone code for each to dist/validators/KEY.cjs, so a run loads neither
 * ajv nor its compiler, and only the validators it uses. A validator is looked up by a digest of its schema, so a schema missing from that file,
 * or changed since it was generated, is compiled here with ajv (loaded on that first need) — never checked by
 * an old schema. Running from the sources (tests, tsx) there is no generated file and everything compiles here.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv, Options, ValidateFunction } from 'ajv';

/** One option set for every schema (verbose: error messages name the schema's properties). */
export const AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: false, allowUnionTypes: true };

/** The generated files' folder, beside this module's compiled file (dist/, and dist/bundle/ for the bundle). */
export const GENERATED_VALIDATORS = 'validators';

const require = createRequire(import.meta.url);
const generated = new Map<string, ValidateFunction | null>();
let ajv: Ajv | undefined;
const recorders = new Set<(schema: object) => void>();

/** The name a schema's validator has in the generated file. */
export function schemaKey(schema: object): string {
  return `v${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 32)}`;
}

/** The ajv instance used at run time and by the generator (with `code.source` there). */
export function newAjv(extra: Options = {}): Ajv {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  return new AjvClass({ ...AJV_OPTIONS, ...extra });
}

function generatedValidator(key: string): ValidateFunction | null {
  let v = generated.get(key);
  if (v === undefined) {
    try {
      v = (require(`./${GENERATED_VALIDATORS}/${key}.cjs`) as { validate: ValidateFunction }).validate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
      v = null;
    }
    generated.set(key, v);
  }
  return v;
}

/** Where the validator came from, for the tests and the generator's check. */
export function validatorSource(schema: object): 'generated' | 'ajv' {
  return generatedValidator(schemaKey(schema)) ? 'generated' : 'ajv';
}

/** The validator of `schema`: the generated one when it exists, else compiled now. Callers cache the result. */
export function compileSchema(schema: object): ValidateFunction {
  for (const r of recorders) r(schema);
  const hit = generatedValidator(schemaKey(schema));
  if (hit) return hit;
  ajv ??= newAjv();
  return ajv.compile(schema);
}

/** Calls `fn` with every schema compiled until the returned function is called (the generator's collector). */
export function recordSchemas(fn: (schema: object) => void): () => void {
  recorders.add(fn);
  return () => recorders.delete(fn);
}
