import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildTimeSchemas, generateValidators } from '../../scripts/gen-validators.js';
import { getModule } from '../../src/modules/registry.js';
import { compileSchema, newAjv, schemaKey, validatorSource } from '../../src/schema-validators.js';

/** Loads each generated CommonJS module (its `require`s of ajv's runtime resolve from here). */
function load(files: Map<string, string>): Record<string, ValidateFunction> {
  const out: Record<string, ValidateFunction> = {};
  for (const [key, code] of files) {
    const exports: { validate?: ValidateFunction } = {};
    new Function('exports', 'require', code)(exports, createRequire(import.meta.url));
    if (exports.validate) out[key] = exports.validate;
  }
  return out;
}

describe('build-time validators (scripts/gen-validators.ts)', async () => {
  const schemas = await buildTimeSchemas();
  const generated = load(generateValidators(schemas));

  it('covers every module, the inventory and the keyword schemas of plays, tasks and blocks', () => {
    expect(schemas.length).toBeGreaterThan(20);
    for (const s of schemas) expect(typeof generated[schemaKey(s)], JSON.stringify(s).slice(0, 80)).toBe('function');
    const command = getModule('command');
    expect(command && generated[schemaKey(command.schema)]).toBeTypeOf('function');
  });

  it('gives the same verdict and the same errors as ajv compiling the schema at run time', () => {
    const samples: unknown[] = [{}, null, 'x', [], { bogus: 1 }, { name: 3, hosts: 'all', tasks: 'no' }, { cmd: ['a'], chdir: 2 }];
    const ajv = newAjv();
    let failures = 0;
    for (const s of schemas) {
      const g = generated[schemaKey(s)] as ValidateFunction;
      const r = ajv.compile(s);
      for (const d of samples) {
        const ok = g(d);
        expect(r(d)).toBe(ok);
        expect(g.errors ?? null).toEqual(r.errors ?? null);
        if (!ok) failures++;
      }
    }
    expect(failures).toBeGreaterThan(schemas.length); // the samples do fail most schemas: errors were compared
  });

  it('running from the sources (no generated file) compiles with ajv, and the validator works', () => {
    const schema = { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false };
    expect(validatorSource(schema)).toBe('ajv');
    const v = compileSchema(schema);
    expect(v({ a: 1 })).toBe(true);
    expect(v({ b: 1 })).toBe(false);
    expect(v.errors?.[0]?.keyword).toBe('additionalProperties');
  });

  it('a changed schema gets another key, so a stale generated file misses instead of checking the old schema', () => {
    const a = { type: 'object', properties: { a: { type: 'integer' } } };
    const b = { type: 'object', properties: { a: { type: 'string' } } };
    expect(schemaKey(a)).not.toBe(schemaKey(b));
    expect(schemaKey(a)).toBe(schemaKey(JSON.parse(JSON.stringify(a))));
  });
});
