/** Spawning the hosts (lab-init in new namespaces), wiring their network, and waiting for them to boot. */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LifeboatError } from '../../src/errors.js';
import type { HostSpec } from './hostfiles.js';
import { attachHosts } from './net.js';
import { BOOT_SCRIPT, HOST_PATH } from './paths.js';
import { nsOf, procStart, run, sleep } from './proc.js';
import type { HostState } from './state.js';

/** A systemd host's cgroup under the machine's hierarchies (systemd-boot.sh makes it, teardown removes it). */
export const labCgroup = (labId: number, host: string): string => `lifeboat-lab-${labId}-${host}`;

export const bootLog = (hostDir: string): string => path.join(hostDir, 'boot.log');

/** Start one host's lab-init (detached: it outlives this call) in new net, UTS and mount namespaces. */
export function spawnHost(initBin: string, h: HostSpec, hostDir: string, labId: number): HostState {
  const log = openSync(bootLog(hostDir), 'a');
  try {
    const child = spawn(
      'unshare',
      ['--net', '--uts', '--mount', '--propagation', 'private', initBin, '/bin/sh', BOOT_SCRIPT, hostDir],
      {
        cwd: '/',
        detached: true,
        stdio: ['ignore', log, log],
        env: { PATH: HOST_PATH, HOME: '/root', LANG: 'C.UTF-8', LAB_HOSTNAME: h.hostname, LAB_ADDR: h.address, LAB_CGROUP: labCgroup(labId, h.name) },
      },
    );
    child.unref();
    child.on('error', () => {}); // an exec failure shows as a missing LAB-BOOT-OK
    if (child.pid === undefined) throw new LifeboatError('E_INTERNAL', `lab: could not start host ${h.name}`);
    return { name: h.name, initPid: child.pid, initStart: procStart(child.pid) ?? 0 };
  } finally {
    closeSync(log);
  }
}

/** Wait until each init has its own network namespace, then give it its veth (as eth0). */
export async function wireHosts(labId: number, hosts: { spec: HostSpec; state: HostState }[]): Promise<void> {
  const rootNet = nsOf(process.pid, 'net');
  const deadline = Date.now() + 10_000;
  for (const h of hosts) {
    while (nsOf(h.state.initPid, 'net') === rootNet || nsOf(h.state.initPid, 'net') === undefined) {
      if (Date.now() > deadline) throw new LifeboatError('E_INTERNAL', `lab: host ${h.spec.name} never got its namespaces`);
      await sleep(2);
    }
  }
  await attachHosts(
    labId,
    hosts.map((h) => ({ index: h.spec.index, pid: h.state.initPid })),
  );
}

/** Wait for LAB-BOOT-OK in every host's boot log; a LAB-BOOT-FAIL or a timeout throws with the log. */
export async function waitBooted(hosts: { spec: HostSpec; dir: string; state: HostState }[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(hosts);
  while (pending.size > 0) {
    for (const h of [...pending]) {
      let text = '';
      try {
        text = readFileSync(bootLog(h.dir), 'utf8');
      } catch {
        // not yet
      }
      if (text.includes('LAB-BOOT-OK')) {
        const sd = /LAB-SYSTEMD-PID: (\d+)/.exec(text)?.[1];
        if (sd) h.state.systemdPid = Number(sd);
        pending.delete(h);
      }
      else if (text.includes('LAB-BOOT-FAIL') || Date.now() > deadline) {
        throw new LifeboatError('E_INTERNAL', `lab: host ${h.spec.name} did not boot:\n${text.trim()}`, {
          hint: `its logs are under ${h.dir}/fs/var-log/ until the lab is stopped`,
        });
      }
    }
    if (pending.size > 0) await sleep(15);
  }
}

export interface EtcdCheckTarget {
  endpoints: string[];
  tlsArgs: string[];
}

/** etcdctl run from the controller (root namespace) against the lab's members. */
export function controllerEtcdctl(t: EtcdCheckTarget, args: string[]): ReturnType<typeof run> {
  return run('etcdctl', [`--endpoints=${t.endpoints.join(',')}`, ...t.tlsArgs, ...args], {
    env: { PATH: HOST_PATH, ETCDCTL_API: '3' },
    timeoutMs: 15_000,
  });
}

/** Wait until every member answers and all agree on one leader. */
export async function waitEtcdCluster(t: EtcdCheckTarget, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const r = await controllerEtcdctl(t, ['--dial-timeout=1s', '--command-timeout=2s', 'endpoint', 'status', '-w', 'json']);
    if (r.rc === 0) {
      try {
        const st = JSON.parse(r.stdout) as { Status: { leader: number | string } }[];
        const leaders = new Set(st.map((s) => String(s.Status.leader)));
        if (st.length === t.endpoints.length && leaders.size === 1 && !leaders.has('0')) return;
        last = `leaders seen: ${[...leaders].join(', ')}`;
      } catch (e) {
        last = `unreadable status: ${(e as Error).message}`;
      }
    } else last = r.stderr.trim();
    if (Date.now() > deadline) {
      throw new LifeboatError('E_INTERNAL', `lab: etcd cluster did not come up: ${last}`, {
        hint: 'see /var/log/etcd.log on the hosts (`npm run lab -- status`)',
      });
    }
    await sleep(100);
  }
}
