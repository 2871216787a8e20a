/** Compile lab-init.c once and cache the binary by its source hash (several labs may race: rename is atomic). */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { INIT_SOURCE, LAB_ROOT } from './paths.js';
import { runOk } from './proc.js';

export async function buildInit(): Promise<string> {
  const src = readFileSync(INIT_SOURCE);
  const hash = createHash('sha256').update(src).digest('hex').slice(0, 12);
  const dir = path.join(LAB_ROOT, 'bin');
  const bin = path.join(dir, `lab-init-${hash}`);
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${bin}.${process.pid}.tmp`;
  await runOk('cc', ['-O2', '-Wall', '-o', tmp, INIT_SOURCE]);
  renameSync(tmp, bin);
  // older builds: running hosts keep their (unlinked) binary and their own copy for Lab.sh()
  for (const f of readdirSync(dir)) {
    if (f.startsWith('lab-init-') && !f.endsWith('.tmp') && path.join(dir, f) !== bin) rmSync(path.join(dir, f), { force: true });
  }
  return bin;
}
