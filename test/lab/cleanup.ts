/** Cleaning up labs nobody will stop (crashed owners), and `down` of a lab by id. */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { labDir } from './paths.js';
import { isStale, labIds, readState } from './state.js';
import { destroyLab } from './teardown.js';

/** Claim the right to tear lab `id` down (one cleaner at a time; a claim older than 60 s was abandoned). */
function claimCleanup(id: number): boolean {
  const p = path.join(labDir(id), '.cleanup');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(p);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false; // the lab is gone already
      if (code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(p).mtimeMs < 60_000) return false;
        rmSync(p, { recursive: true, force: true });
      } catch {
        return false;
      }
    }
  }
  return false;
}

/** Tear down every stale lab: owner dead (or, for `lab up` labs, every host gone). */
export async function cleanupStaleLabs(): Promise<void> {
  for (const id of labIds()) {
    if (isStale(id) && claimCleanup(id)) await destroyLab(id, readState(id));
  }
}

/** Tear down lab `id` whoever owns it (the CLI's `down`). Returns false if there was no such lab. */
export async function stopLabById(id: number): Promise<boolean> {
  if (!labIds().includes(id)) return false;
  if (!claimCleanup(id)) return false;
  await destroyLab(id, readState(id));
  return true;
}
