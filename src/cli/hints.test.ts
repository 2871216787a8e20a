/**
 * Hints and messages must name things that exist: every `lifeboat X` command, and every filter, lookup or
 * test that a hint names as "the `x` filter" (or lookup, test).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILTERS } from '../vars/filters/index.js';
import { LOOKUPS } from '../vars/functions.js';
import { TESTS } from '../vars/tests.js';

const SRC = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sources(SRC).map((f) => ({ f, text: readFileSync(f, 'utf8') }));
const commands = new Set([...readFileSync(join(SRC, 'cli/main.ts'), 'utf8').matchAll(/^ {2}([a-z]+): lazy\(/gm)].map((m) => m[1]));

describe('hints name what exists', () => {
  it('every `lifeboat X` named in the source is a command', () => {
    expect(commands.size).toBeGreaterThan(5);
    const named = files.flatMap(({ f, text }) => [...text.matchAll(/`lifeboat ([a-z][a-z-]*)/g)].map((m) => [f, m[1] as string]));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter(([, c]) => !commands.has(c as string))).toEqual([]);
  });

  it('every filter, lookup or test a message names is one Lifeboat has', () => {
    const kinds: Record<string, Record<string, unknown>> = { filter: FILTERS, lookup: LOOKUPS, test: TESTS };
    const named = files.flatMap(({ f, text }) =>
      [...text.matchAll(/the `([a-z_]+)` (filter|lookup|test)\b/g)].map((m) => [f, m[1] as string, m[2] as string]),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter(([, name, kind]) => !(name as string in (kinds[kind as string] ?? {})))).toEqual([]);
  });
});
