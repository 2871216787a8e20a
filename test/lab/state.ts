/**
 * Which labs exist: `<LAB_ROOT>/<id>/` is lab id's dir, and creating it (mkdir, atomic) is how a starter
 * claims the id — so labs started at the same time (vitest runs files in parallel) never share addresses.
 * `state.json` in it records the owner process and each host's init, for teardown and stale cleanup.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LifeboatError } from '../../src/errors.js';
import { LAB_ROOT, labDir, MAX_LABS } from './paths.js';
import { ownPidNs, procAliveIn, procStart } from './proc.js';

export interface HostState {
  name: string;
  initPid: number;
  initStart: number;
  /** `mnt:[…]` and `net:[…]` of the host's namespaces. */
  mnt?: string;
  net?: string;
  /** systemd hosts: systemd's pid (PID 1 of the host's own PID namespace); commands enter its namespaces. */
  systemdPid?: number;
}

export interface LabState {
  id: number;
  /** pidns: the owner's pid namespace, in which `pid` (and the hosts' initPid) are numbered. */
  owner: { pid: number; start: number; pidns?: string };
  /** A lab started by `npm run lab -- up` outlives its owner: stale only once its hosts are gone. */
  persistent: boolean;
  created: string;
  hosts: HostState[];
  /** Anything extra the CLI wants to show in `status`. */
  summary?: Record<string, unknown>;
}

export const statePath = (id: number): string => path.join(labDir(id), 'state.json');

export function writeState(s: LabState): void {
  const p = statePath(s.id);
  writeFileSync(`${p}.tmp`, JSON.stringify(s, null, 2));
  renameSync(`${p}.tmp`, p);
}

export function readState(id: number): LabState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(id), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/** Claim the lowest free lab id (mkdir is atomic). */
export function claimLabId(persistent: boolean): LabState {
  mkdirSync(LAB_ROOT, { recursive: true, mode: 0o700 });
  for (let id = 1; id <= MAX_LABS; id++) {
    try {
      mkdirSync(labDir(id), { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    const s: LabState = {
      id,
      owner: { pid: process.pid, start: procStart(process.pid) ?? 0, ...(ownPidNs() ? { pidns: ownPidNs() } : {}) },
      persistent,
      created: new Date().toISOString(),
      hosts: [],
    };
    writeState(s);
    return s;
  }
  throw new LifeboatError('E_INTERNAL', `lab: all ${MAX_LABS} lab ids are taken`, {
    hint: 'stop labs with `npm run lab -- down --all`',
  });
}

/** Labs whose dirs exist, by id. */
export function labIds(): number[] {
  try {
    return readdirSync(LAB_ROOT)
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}


/** A lab nobody will stop: its owner died (or, for a persistent lab, every host is gone). */
export function isStale(id: number, graceMs = 30_000): boolean {
  const s = readState(id);
  if (!s) {
    try {
      return Date.now() - statSync(labDir(id)).mtimeMs > graceMs;
    } catch {
      return false;
    }
  }
  // a lab of another pid namespace whose owner cannot be seen from here is left alone (undefined: not stale)
  const alive = (pid: number, start: number) => procAliveIn(pid, start, s.owner.pidns) !== false;
  if (alive(s.owner.pid, s.owner.start)) return false;
  if (!s.persistent) return true;
  return !s.hosts.some((h) => alive(h.initPid, h.initStart));
}
