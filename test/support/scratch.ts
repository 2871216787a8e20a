/**
 * Scratch directories for tests, removed after the test file that made them (runs used to leave thousands
 * behind in /tmp). Import this module from a test file or a helper it imports, at the top level: the cleanup
 * is an `afterAll` of that file. Lab state is not made here: the lab keeps its own directories and lifecycle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
