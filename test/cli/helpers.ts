import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scratchDir } from '../support/scratch.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin', 'lifeboat.js');
/** The CLI runs from dist/: `npm run build` (scripts/setup.sh does it) must have run. */
export const BUILT = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function lifeboat(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch directory with the given files (name → content). */
export function scratch(files: Record<string, string>): string {
  const dir = scratchDir('lb-cli-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** An inventory of the controller itself over the local connection. */
export const LOCAL_INVENTORY = 'all:\n  hosts:\n    ctl:\n      ansible_connection: local\n';
