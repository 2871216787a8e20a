/** Names and places of the lab: one spot, so start, teardown and stale cleanup agree. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Controller-side state of every lab: `<root>/<id>/` is the lab's dir; creating it is the lab's lock. */
export const LAB_ROOT = process.env.LIFEBOAT_LAB_ROOT ?? '/tmp/lifeboat-lab';
/** Lab indexes 1..MAX_LABS; each owns 10.251.<id>.0/24. */
export const MAX_LABS = 200;
/** Hosts per lab: addresses 10.251.<id>.11 … .(10+MAX_HOSTS). */
// 100: addresses .11 … .110 of the lab's /24 (.1 is the controller), 100 of a bridge's 1024 ports, one sshd each;
// the neighbour table (gc_thresh3, 1024 by default) holds every lab's hosts at once for several such labs.
export const MAX_HOSTS = 100;

export const LAB_SRC_DIR = path.dirname(fileURLToPath(import.meta.url));
export const BOOT_SCRIPT = path.join(LAB_SRC_DIR, 'host-boot.sh');
export const INIT_SOURCE = path.join(LAB_SRC_DIR, 'lab-init.c');

/** PATH for everything run on a host (never the controller's pyenv shims). */
export const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const labDir = (id: number): string => path.join(LAB_ROOT, String(id));
export const hostDir = (id: number, name: string): string => path.join(labDir(id), 'hosts', name);
export const bridgeName = (id: number): string => `lbr${id}`;
/** Root-namespace end of host i's veth pair (the other end is `eth0` inside the host). */
export const vethName = (id: number, i: number): string => `lbv${id}h${i}`;
export const controllerAddress = (id: number): string => `10.251.${id}.1`;
export const hostAddress = (id: number, i: number): string => `10.251.${id}.${10 + i}`;
/** Every link of lab `id`, for teardown and stale cleanup. */
export const isLabLink = (id: number, link: string): boolean =>
  link === bridgeName(id) || new RegExp(`^lbv${id}h\\d+$`).test(link);
