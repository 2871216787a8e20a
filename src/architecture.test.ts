import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer map, top first, read from the drawing in docs/architecture.md (its first fenced block: one
 * `folder/` per line), so the documented order and the checked one are the same list. A file under
 * `src/<layer>/` may import from its own layer, from any layer after it, and from the leaf files at the top
 * of `src/` (errors.ts, yamlpos.ts, …), which import only each other and packages.
 */
function layersOf(markdown: string): string[] {
  const block = /```[^\n]*\n([\s\S]*?)```/.exec(markdown)?.[1] ?? '';
  return [...block.matchAll(/^([a-z][\w-]*)\/\s/gm)].map((m) => m[1] as string);
}

/**
 * The leaf files, as docs/architecture.md names them in its first paragraph (`name.ts` in backticks): the
 * files directly in `src/` that every layer may import. They import only each other and packages — not even a
 * type from a layer — so a type two layers share (the plan's, in plan-types.ts) is declared in a leaf whole.
 */
function leavesOf(markdown: string): string[] {
  const para = markdown.split(/\n\s*\n/).find((p) => !p.startsWith('#')) ?? '';
  return [...para.matchAll(/`([\w-]+\.ts)`/g)].map((m) => m[1] as string).sort();
}

const DOC = readFileSync(join(import.meta.dirname, '..', 'docs', 'architecture.md'), 'utf8');
const LAYERS = layersOf(DOC);
const LEAVES = leavesOf(DOC);
const LEAF = '(src leaf)';

const SRC = join(import.meta.dirname);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

/** Every module specifier a file names: `import … from`, `export … from`, `import '…'`, `import('…')`. */
function specifiers(text: string): string[] {
  const re = /(?:^|[\n;])\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(re)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** The layer of a path under src/: its first folder, or LEAF for a file directly in src/. */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? LEAF : (parts[0] as string);
}

/** May a file in layer `from` import one in layer `to`? */
function allowed(from: string, to: string): boolean {
  if (to === LEAF || from === to) return true;
  if (from === LEAF) return false;
  const a = LAYERS.indexOf(from);
  const b = LAYERS.indexOf(to);
  return a >= 0 && b >= 0 && b > a;
}

function violations(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const to = layerOf(normalize(join(dirname(file), spec)));
      if (!allowed(from, to)) out.push(`${relative(SRC, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  return out;
}

describe('layer map', () => {
  it('reads the order from the drawing in docs/architecture.md', () => {
    expect(LAYERS.length).toBeGreaterThan(1);
    expect(layersOf('text\n```\na/          x\n ↓\nb/  y\n```\n```\nc/ z\n```\n')).toEqual(['a', 'b']);
  });

  it('names every folder under src/', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual([...LAYERS].sort());
  });

  it('names every leaf file directly in src/', () => {
    expect(leavesOf('# T\n\nleaf files (`a.ts`, `b-c.ts`), which\n\n`d.ts` later\n')).toEqual(['a.ts', 'b-c.ts']);
    const files = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
      .map((e) => e.name)
      .sort();
    expect(files).toEqual(LEAVES);
  });

  it('finds every kind of import', () => {
    const text = [
      "import { a } from './a.js';",
      'import type {',
      '  B,',
      "} from '../b/index.js';",
      "export * from './c.js';",
      "export { d } from './d.js';",
      "import './e.js';",
      "const m = await import('./f.js');",
      "let x: import('../g.js').G;",
      "const s = 'not an import';",
    ].join('\n');
    expect(specifiers(text)).toEqual(['./a.js', '../b/index.js', './c.js', './d.js', './e.js', './f.js', '../g.js']);
  });

  it('refuses an import up the map, and a leaf importing a layer', () => {
    expect(allowed('cli', 'inventory')).toBe(true);
    expect(allowed('executor', 'executor')).toBe(true);
    expect(allowed('inventory', LEAF)).toBe(true);
    expect(allowed('executor', 'planner')).toBe(false);
    expect(allowed('reporters', 'planner')).toBe(false);
    expect(allowed('inventory', 'connection')).toBe(false);
    expect(allowed(LEAF, 'vars')).toBe(false);
    expect(allowed('nowhere', 'vars')).toBe(false);
  });

  it('no import in src/ runs up the map', () => {
    expect(violations()).toEqual([]);
  });
});
