import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectionSpecFor, createConnectionPool } from '../../src/connection/index.js';
import type { RunEvent } from '../../src/executor/events.js';
import { runPlaybooks } from '../../src/executor/index.js';
import { hostInventoryVars, loadInventory } from '../../src/inventory/index.js';
import type { Vars } from '../../src/inventory/types.js';
import '../../src/modules/index.js';
import { loadPlaybook } from '../../src/playbook/index.js';
import { SecretSet } from '../../src/secrets.js';

export const PLAYBOOKS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../playbooks');

class Collect {
  readonly events: RunEvent[] = [];
  emit(ev: RunEvent): void {
    this.events.push(ev);
  }
  async close(): Promise<void> {}
  results(task: string) {
    return this.events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result' && e.task === task);
  }
  failures() {
    return this.events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result' && e.status === 'failed' && !e.ignored);
  }
}

/**
 * Runs one of Lifeboat's own playbooks (playbooks/NAME, or an absolute path) through the real engine (loader, templating, executor)
 * and real SSH against lab inventories, as `lifeboat run` does.
 */
export async function runPlaybook(name: string, inventories: string[], sshConfig: string, extraVars: Vars = {}, opts: { check?: boolean } = {}) {
  const inventory = await loadInventory(inventories);
  const pb = await loadPlaybook(path.isAbsolute(name) ? name : path.join(PLAYBOOKS, name));
  const pool = createConnectionPool({
    specFor: (host: string) => connectionSpecFor(host, inventory.hosts.has(host) ? hostInventoryVars(inventory, host) : {}, { sshConfigFile: sshConfig }),
  });
  const ev = new Collect();
  try {
    const summary = await runPlaybooks({
      inventory,
      playbooks: [pb],
      extraVars,
      forks: 20,
      check: opts.check ?? false,
      diff: false,
      connections: pool,
      reporter: ev,
      secrets: new SecretSet(),
    });
    return { summary, ev };
  } finally {
    await pool.closeAll();
  }
}
