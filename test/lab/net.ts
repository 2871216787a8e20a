/** The lab's links in the root namespace: one bridge per lab, one veth pair per host (eth0 inside). */
import { bridgeName, controllerAddress, isLabLink, vethName } from './paths.js';
import { run, runOk } from './proc.js';

/** Names of every link of lab `id` that exists now. */
export async function labLinks(id: number): Promise<string[]> {
  const r = await runOk('ip', ['-o', 'link', 'show']);
  const names = r.stdout
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
  return names.filter((n) => isLabLink(id, n));
}

/** Delete lab `id`'s links (veths first: deleting one end deletes the pair). */
export async function deleteLinks(id: number): Promise<void> {
  const links = await labLinks(id);
  const ordered = [...links.filter((l) => l !== bridgeName(id)), ...links.filter((l) => l === bridgeName(id))];
  if (ordered.length === 0) return;
  await run('ip', ['-force', '-batch', '-'], { input: ordered.map((l) => `link del ${l}\n`).join('') });
}

export async function createBridge(id: number): Promise<void> {
  await deleteLinks(id); // leftovers of a lab that crashed mid-teardown
  const br = bridgeName(id);
  await runOk('ip', ['-batch', '-'], {
    input: [
      `link add name ${br} type bridge forward_delay 0 stp_state 0`,
      `addr add ${controllerAddress(id)}/24 dev ${br}`,
      `link set ${br} up`,
      '',
    ].join('\n'),
  });
}

/** Create host i's veth pair with its inner end as `eth0` in the namespaces of process `pid`. */
export async function attachHosts(id: number, hosts: { index: number; pid: number }[]): Promise<void> {
  const br = bridgeName(id);
  const lines = hosts.flatMap((h) => [
    `link add ${vethName(id, h.index)} type veth peer name eth0 netns ${h.pid}`,
    `link set ${vethName(id, h.index)} master ${br} up`,
  ]);
  await runOk('ip', ['-batch', '-'], { input: `${lines.join('\n')}\n` });
}
