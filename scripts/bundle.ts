/**
 * `npm run build`'s last step: dist/cli/main.js (tsc's output) bundled by esbuild into dist/bundle/ — one
 * file for the CLI's entry and one chunk per lazily loaded command, packages left to node_modules.
 * bin/lifeboat.js runs the bundle (and dist/cli/main.js when there is none). Resolving and reading ~240
 * small modules at start-up cost ~90 ms here; see the README's Speed section for the figures.
 *   npx tsx scripts/bundle.ts
 */
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GENERATED_VALIDATORS } from '../src/schema-validators.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(ROOT, 'dist', 'bundle');

rmSync(out, { recursive: true, force: true });
const r = await build({
  entryPoints: { main: path.join(ROOT, 'dist', 'cli', 'main.js') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Pure-JS packages the start-up always needs are bundled (yaml alone is ~60 files); the rest stay in node_modules
  // (ssh2 has native parts; the others load lazily, and ajv only at run time when a schema was not generated).
  external: ['ajv', 'etcd3', 'listr2', 'nunjucks', 'ssh2'],
  outdir: out,
  // The bundled CommonJS packages require Node's built-ins: give every chunk a real `require`.
  banner: { js: "import { createRequire as __lifeboatRequire } from 'node:module'; const require = __lifeboatRequire(import.meta.url);" },
  sourcemap: true,
  // Less source for V8 to scan at start-up; names are kept, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
});
// src/schema-validators.ts finds the generated validators beside itself: beside the bundle's chunks too.
cpSync(path.join(ROOT, 'dist', GENERATED_VALIDATORS), path.join(out, GENERATED_VALIDATORS), { recursive: true });
const files = Object.keys(r.metafile.outputs).filter((f) => f.endsWith('.js'));
console.log(`bundle: ${files.length} files → ${path.relative(process.cwd(), out)}`);
