import { expect } from 'vitest';
import type { Connection } from '../../src/connection/types.js';
import type { ModuleResult, Operation } from '../../src/modules/types.js';
import { runModule } from './run.js';

type Over = Parameters<typeof runModule>[3];

/**
 * The three runs every host-changing module must pass: the plan shows a change and `unchanged()` still holds on
 * the host; the run changes it; the same task again has no steps and no change.
 */
export async function threeRuns(
  conn: Connection,
  name: string,
  args: Record<string, unknown>,
  o: { unchanged: () => Promise<void>; over?: Over },
): Promise<{ plan: Operation; first: ModuleResult; second: { op: Operation; result: ModuleResult } }> {
  const planned = await runModule(name, args, conn, { ...(o.over ?? {}), check: true });
  expect(planned.op.changed, `${name}: the plan shows a change`).not.toBe(false);
  expect(planned.op.steps.length).toBeGreaterThan(0);
  await o.unchanged();
  const first = await runModule(name, args, conn, o.over);
  expect(first.result.failed, `${name}: ${String(first.result.msg)}`).toBeFalsy();
  expect(first.result.changed).toBe(true);
  const second = await runModule(name, args, conn, o.over);
  expect(second.op.steps, `${name}: second run has no steps`).toEqual([]);
  expect(second.result.changed).toBe(false);
  expect(second.result.failed).toBeFalsy();
  return { plan: planned.op, first: first.result, second };
}
