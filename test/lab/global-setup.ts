/**
 * vitest globalSetup: before and after the whole run, tear down labs whose owner died (a crashed or killed
 * worker), so a run never inherits nor leaves hosts behind. Labs of live processes are left alone.
 */
import { cleanupStaleLabs } from './cleanup.js';

export async function setup(): Promise<void> {
  await cleanupStaleLabs().catch((e: unknown) => console.warn(`[lab] stale lab cleanup failed: ${String(e)}`));
}

export async function teardown(): Promise<void> {
  await cleanupStaleLabs().catch((e: unknown) => console.warn(`[lab] stale lab cleanup failed: ${String(e)}`));
}
