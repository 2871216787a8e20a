/** What a lab leaves on the machine — links, processes, namespaces, mounts — for tests that prove teardown. */
import { existsSync, readFileSync } from 'node:fs';
import { labDir } from './paths.js';
import { labLinks } from './net.js';
import { listProcs } from './proc.js';

export interface Footprint {
  links: string[];
  /** Processes in the lab's host namespaces or naming the lab's dir. */
  procs: number[];
  /** Namespaces (`net:[…]`, `mnt:[…]`) of the hosts still held by some process. */
  namespaces: string[];
  /** Mount entries, in any mount namespace of the machine, whose source or target is in the lab's dir. */
  mounts: number;
  dirExists: boolean;
}

/** `hostNs`: the hosts' namespace ids, taken while the lab was up. */
export async function footprint(id: number, hostNs: string[]): Promise<Footprint> {
  const dir = `${labDir(id)}/`;
  const wanted = new Set(hostNs);
  const procs = listProcs();
  const namespaces = new Set<string>();
  const mine: number[] = [];
  const seenMnt = new Map<string, number>();
  // The kernel reuses a freed namespace's inode number: under a busy suite another lab's new host may get the id a
  // torn-down host had. A namespace still counts as this lab's only while its mount table names this lab's dir.
  const ours = new Map<string, boolean>();
  const oursNs = (p: (typeof procs)[number]): boolean => {
    let v = ours.get(p.mnt);
    if (v === undefined) {
      v = mountLines(p.pid, dir) > 0;
      ours.set(p.mnt, v);
    }
    return v;
  };
  for (const p of procs) {
    const inNs = (wanted.has(p.mnt) || wanted.has(p.net)) && oursNs(p);
    if (inNs && wanted.has(p.mnt)) namespaces.add(p.mnt);
    if (inNs && wanted.has(p.net)) namespaces.add(p.net);
    if (inNs || p.cmdline.includes(dir)) mine.push(p.pid);
    if (!seenMnt.has(p.mnt)) seenMnt.set(p.mnt, p.pid);
  }
  let mounts = 0;
  for (const pid of seenMnt.values()) mounts += mountLines(pid, dir);
  return { links: await labLinks(id), procs: mine, namespaces: [...namespaces], mounts, dirExists: existsSync(labDir(id)) };
}

/** Lines of the process's mount table that name `dir`; 0 once it is gone. */
function mountLines(pid: number, dir: string): number {
  try {
    return readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
      .split('\n')
      .filter((l) => l.includes(dir)).length;
  } catch {
    return 0;
  }
}
