import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectionSpecFor, createConnectionPool } from '../../src/connection/index.js';
import { type RunOptions, runPlaybooks } from '../../src/executor/index.js';
import { hostInventoryVars, loadInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/types.js';
import { loadPlaybook } from '../../src/playbook/index.js';
import type { Lab } from '../lab/index.js';
import { Collect, tmpTree } from './helpers.js';
import { SecretSet } from '../../src/secrets.js';

/** A real connection pool over the lab's inventory, as the CLI's session builds it. */
export function labPool(inv: Inventory, lab: Lab) {
  return createConnectionPool({
    specFor: (host: string) => connectionSpecFor(host, inv.hosts.has(host) ? hostInventoryVars(inv, host) : {}, { sshConfigFile: lab.sshConfig, connectTimeoutMs: 30_000 }),
  });
}

/** Runs a playbook (YAML text) on the lab over real SSH. */
export async function runOnLab(lab: Lab, yaml: string, o: Partial<Pick<RunOptions, 'check' | 'forks' | 'limit' | 'extraVars'>> = {}) {
  const dir = tmpTree({});
  writeFileSync(join(dir, 'site.yml'), yaml);
  const inventory = await loadInventory([lab.inventoryIni]);
  const pb = await loadPlaybook(join(dir, 'site.yml'));
  const pool = labPool(inventory, lab);
  const ev = new Collect();
  try {
    const summary = await runPlaybooks({
      inventory,
      playbooks: [pb],
      extraVars: o.extraVars ?? {},
      forks: o.forks ?? 20,
      check: o.check ?? false,
      diff: true,
      connections: pool,
      reporter: ev,
      secrets: new SecretSet(),
      ...(o.limit ? { limit: o.limit } : {}),
    });
    return { summary, ev };
  } finally {
    await pool.closeAll();
  }
}
