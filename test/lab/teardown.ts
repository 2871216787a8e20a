/**
 * Teardown of one lab, also of a lab whose owner crashed: delete its links, kill every process in its hosts'
 * namespaces (the hosts' inits last, so they reap the rest at once), remove its dir. Idempotent.
 */
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { LifeboatError } from '../../src/errors.js';
import { labDir } from './paths.js';
import { deleteLinks } from './net.js';
import { kill, listProcs, nsOf, procAlive, sleep } from './proc.js';
import { type LabState, readState } from './state.js';

/** Kill every process of the lab's hosts; resolves once none is left alive. */
export async function killHosts(id: number, state: LabState | undefined): Promise<void> {
  const marker = `${labDir(id)}${path.sep}`;
  const inits = new Map<number, number | undefined>(); // pid → start time
  const nsKeys = new Set<string>();
  // a host's network namespace is its own (never the controller's): every process in it is the host's, also
  // those of a systemd host, which run in mount namespaces of their own
  const nets = new Set<string>();
  const rootNet = nsOf(process.pid, 'net');
  for (const h of state?.hosts ?? []) {
    if (h.mnt && h.net) nsKeys.add(`${h.mnt}|${h.net}`);
    if (h.net && h.net !== rootNet) nets.add(h.net);
    if (procAlive(h.initPid, h.initStart)) inits.set(h.initPid, h.initStart);
  }
  const deadline = Date.now() + 15_000;
  for (;;) {
    const procs = listProcs();
    for (const p of procs) {
      // an init whose pid was not recorded yet (crash during start): its argv names the lab dir
      if (p.cmdline.includes('lab-init') && p.cmdline.includes(marker) && p.pid !== process.pid) {
        inits.set(p.pid, undefined);
        nsKeys.add(`${p.mnt}|${p.net}`);
      }
    }
    const victims = procs.filter((p) => (nsKeys.has(`${p.mnt}|${p.net}`) || nets.has(p.net ?? '')) && !inits.has(p.pid));
    const liveInits = [...inits].filter(([pid, start]) => procAlive(pid, start)).map(([pid]) => pid);
    if (victims.length === 0 && liveInits.length === 0) {
      await waitReaped([...inits.keys()]);
      return;
    }
    if (Date.now() > deadline) {
      throw new LifeboatError('E_INTERNAL', `lab ${id}: processes survive SIGKILL: ${victims.map((v) => v.pid).join(' ')}`, {
        hint: 'look at them with `ps -o pid,stat,cmd -p <pids>`',
      });
    }
    if (victims.length > 0) for (const v of victims) kill(v.pid, 'SIGKILL');
    else for (const pid of liveInits) kill(pid, 'SIGKILL');
    await sleep(victims.length > 0 ? 5 : 10);
  }
}

/** Wait (up to 3 s) until killed inits are reaped: an init whose parent is PID 1 (the CLI's labs) stays a zombie
 * until PID 1 gets to it, and "teardown leaves no process" means none, not even a zombie. */
async function waitReaped(pids: number[]): Promise<void> {
  const deadline = Date.now() + 3000;
  while (pids.some((p) => existsSync(`/proc/${p}`)) && Date.now() < deadline) await sleep(20);
}

/** Remove the cgroups systemd hosts made (deepest first; only empty ones can go, and all are once killed). */
async function removeCgroups(id: number): Promise<void> {
  // a cgroup stays busy until the kernel has finished with its last (killed) process: retry for a while
  const deadline = Date.now() + 5000;
  while (removeCgroupsOnce(id) > 0 && Date.now() < deadline) await sleep(20);
}

/** One pass; returns how many of the lab's cgroups are left. */
function removeCgroupsOnce(id: number): number {
  let left = 0;
  for (const h of ['systemd', 'unified']) {
    const root = `/sys/fs/cgroup/${h}`;
    let names: string[] = [];
    try {
      names = readdirSync(root).filter((n) => n.startsWith(`lifeboat-lab-${id}-`));
    } catch {
      continue;
    }
    for (const n of names) {
      rmdirDeep(path.join(root, n));
      if (existsSync(path.join(root, n))) left++;
    }
  }
  return left;
}

function rmdirDeep(dir: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return;
  }
  for (const e of entries) rmdirDeep(path.join(dir, e));
  try {
    rmdirSync(dir);
  } catch {
    // still busy: the next cleanup tries again
  }
}

export async function destroyLab(id: number, state: LabState | undefined = readState(id)): Promise<void> {
  await deleteLinks(id);
  await killHosts(id, state);
  await removeCgroups(id);
  await rm(labDir(id), { recursive: true, force: true, maxRetries: 3 });
}
