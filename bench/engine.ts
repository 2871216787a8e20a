/**
 * Engine overhead: K `command: /bin/true` tasks on M lab hosts through Lifeboat (real SSH), against the
 * floor — the same commands as raw exec requests over one already-open ssh2 connection per host — and,
 * where `ansible-playbook` is installed, against Ansible. Connections are open before the timed runs
 * (the floor's are too), and each figure is the median of `repeat` runs after one warm-up run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionSpecFor, createConnectionPool } from '../src/connection/index.js';
import type { RunEvent } from '../src/executor/events.js';
import { runPlaybooks } from '../src/executor/index.js';
import { hostInventoryVars, loadInventory } from '../src/inventory/index.js';
import { loadPlaybook } from '../src/playbook/index.js';
import type { Lab } from '../test/lab/index.js';
import { connectionFloor, controlMasterFloor, floorOnLab, labSpecs } from './ssh-floor.js';
import { SecretSet } from '../src/secrets.js';

export interface EngineBenchOptions {
  tasks: number;
  repeat: number;
  /** Also time ansible-playbook when it is installed (default true). */
  ansible: boolean;
}

export interface EngineBenchResult {
  tasks: number;
  hosts: number;
  lifeboatMs: number;
  /**
   * The same commands through Lifeboat's own connections, task by task in lockstep (all hosts, then the
   * next command) but without the engine: what the linear strategy costs before any engine work.
   */
  lockstepMs: number;
  /** bench/ssh-floor.ts: raw ssh2 exec requests over open connections, each host on its own. */
  floorMs: number;
  /** bench/ssh-floor.ts: the same through Lifeboat's SshConnection, each host on its own. */
  connectionMs: number;
  /** bench/ssh-floor.ts: one `ssh` per command over an OpenSSH ControlMaster per host, hosts in parallel. */
  controlMasterMs: number;
  ansibleMs?: number;
  /** Failures seen in the Lifeboat runs (a benchmark of failing tasks would measure nothing). */
  failures: string[];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function benchPlaybook(tasks: number): string {
  const body = Array.from({ length: tasks }, (_, i) => `    - name: true ${i + 1}\n      command: /bin/true\n`).join('');
  return `- hosts: all\n  gather_facts: false\n  tasks:\n${body}`;
}

export async function benchEngine(lab: Lab, o: EngineBenchOptions): Promise<EngineBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-bench-'));
  const file = join(dir, 'bench.yml');
  writeFileSync(file, benchPlaybook(o.tasks));
  const inventory = await loadInventory([lab.inventoryIni]);
  const playbook = await loadPlaybook(file);
  const hosts = lab.hosts.map((h) => h.name);
  const pool = createConnectionPool({
    specFor: (h: string) => connectionSpecFor(h, inventory.hosts.has(h) ? hostInventoryVars(inventory, h) : {}, { sshConfigFile: lab.sshConfig }),
  });
  const failures: string[] = [];
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    await runPlaybooks({
      inventory,
      playbooks: [playbook],
      extraVars: {},
      forks: Math.max(20, hosts.length),
      check: false,
      diff: false,
      connections: pool,
      secrets: new SecretSet(),
      reporter: {
        emit: (e: RunEvent) => {
          if (e.type === 'host_result' && e.status !== 'changed') failures.push(`${e.host}: ${e.status} ${e.msg ?? ''}`);
        },
        close: async () => {},
      },
    });
    return performance.now() - t0;
  };
  try {
    const conns = await Promise.all(hosts.map((h) => pool.get(h)));
    const lockstep = async (): Promise<number> => {
      const t0 = performance.now();
      for (let i = 0; i < o.tasks; i++) await Promise.all(conns.map((c) => c.exec('/bin/true')));
      return performance.now() - t0;
    };
    await once();
    await lockstep();
    await floorOnLab(lab, '/bin/true', 2);
    // Interleaved, so that a slow moment of the machine does not land on one contender only.
    const lb: number[] = [];
    const ls: number[] = [];
    const fl: number[] = [];
    const cf: number[] = [];
    const cm: number[] = [];
    for (let r = 0; r < o.repeat; r++) {
      lb.push(await once());
      ls.push(await lockstep());
      fl.push(await floorOnLab(lab, '/bin/true', o.tasks));
      cf.push(await connectionFloor(labSpecs(lab), '/bin/true', o.tasks));
      cm.push(await controlMasterFloor(lab, '/bin/true', o.tasks));
    }
    const result: EngineBenchResult = {
      tasks: o.tasks,
      hosts: hosts.length,
      lifeboatMs: median(lb),
      lockstepMs: median(ls),
      floorMs: median(fl),
      connectionMs: median(cf),
      controlMasterMs: median(cm),
      failures,
    };
    if (o.ansible) {
      // One timed run after a warm-up: Ansible takes about a minute for 20 × 10 here.
      const ms = ansibleMs(lab, file, hosts.length, 1);
      if (ms !== undefined) result.ansibleMs = ms;
    }
    return result;
  } finally {
    await pool.closeAll();
  }
}

/** ansible-playbook on the same inventory and playbook (median of runs after a warm-up), if installed. */
function ansibleMs(lab: Lab, playbook: string, forks: number, repeat: number): number | undefined {
  if (spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).status !== 0) return undefined;
  const args = ['-i', lab.inventoryIni, playbook, '-f', String(forks), '-e', 'ansible_python_interpreter=/usr/bin/python3'];
  const env = { ...process.env, ANSIBLE_SSH_PIPELINING: 'True', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False' };
  const run = (): number => {
    const t0 = performance.now();
    const r = spawnSync('ansible-playbook', args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`ansible-playbook failed (${r.status}):\n${(r.stdout + r.stderr).slice(-2000)}`);
    return ms;
  };
  run();
  const xs: number[] = [];
  for (let i = 0; i < repeat; i++) xs.push(run());
  return median(xs);
}
