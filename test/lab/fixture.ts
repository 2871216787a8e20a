/**
 * vitest fixture. Usage:
 *
 *   describeLab('restore', { hosts: 3, seedKeys: 2000 }, (lab) => {
 *     it('brings every key back', async () => { const l = lab(); ... });
 *   });
 *
 * or, inside your own describe, `const lab = withLab({ hosts: 3 })` (starts in beforeAll, stops in afterAll).
 * Where the lab cannot run (not root, packages missing) the suite is skipped and the reason printed.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { type Lab, type LabOptions, labSupport, startLab } from './index.js';

export const LAB_START_TIMEOUT_MS = 120_000;

export function withLab(opts: LabOptions): () => Lab {
  let lab: Lab | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      lab = await startLab(opts);
    } catch (e) {
      failure = e;
      throw e;
    }
  }, LAB_START_TIMEOUT_MS);
  afterAll(async () => {
    await lab?.stop();
  }, 60_000);
  return () => {
    if (!lab) throw new Error(`the lab did not start: ${failure instanceof Error ? failure.message : String(failure)}`);
    return lab;
  };
}

/** Why lab tests are skipped here, or undefined when they can run. */
export function labSkipReason(): string | undefined {
  const s = labSupport();
  return s.ok ? undefined : s.why;
}

const warned = new Set<string>();

/** A describe block with its own lab; skipped, with the reason printed, where the lab cannot run. */
export function describeLab(name: string, opts: LabOptions, body: (lab: () => Lab) => void): void {
  const why = labSkipReason();
  if (why && !warned.has(why)) {
    warned.add(why);
    console.warn(`[lab] skipping lab tests: ${why}`);
  }
  describe.skipIf(why !== undefined)(why ? `${name} (skipped: ${why})` : name, () => {
    body(withLab(opts));
  });
}
