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
  for (const p of procs) {
    if (wanted.has(p.mnt)) namespaces.add(p.mnt);
    if (wanted.has(p.net)) namespaces.add(p.net);
    if (wanted.has(p.mnt) || wanted.has(p.net) || p.cmdline.includes(dir)) mine.push(p.pid);
    if (!seenMnt.has(p.mnt)) seenMnt.set(p.mnt, p.pid);
  }
  let mounts = 0;
  for (const pid of seenMnt.values()) {
    try {
      mounts += readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
        .split('\n')
        .filter((l) => l.includes(dir)).length;
    } catch {
      // gone meanwhile
    }
  }
  return { links: await labLinks(id), procs: mine, namespaces: [...namespaces], mounts, dirExists: existsSync(labDir(id)) };
}
