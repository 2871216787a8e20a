import { fatalFor } from './flags.js';
import type { BlockTask, TaskNode } from '../playbook/types.js';
import { type PlayCtx, isHostActive, mayContinue } from './context.js';
import { type Frame, childFrame } from './frame.js';
import { runInclude } from './include.js';
import { type Scope, hostDown, hostFailed } from './scope.js';
import { runAction } from './task.js';

/**
 * Walks a task list for the batch (linear strategy): each node on every host still in the play (and not
 * failed inside the current block), then the next node.
 */
export async function runNodes(pc: PlayCtx, nodes: TaskNode[], frame: Frame, hosts: string[], scope: Scope | undefined, rescuing = false): Promise<void> {
  for (const node of nodes) {
    if (!mayContinue(pc)) return;
    const live = hosts.filter((h) => isHostActive(pc, h) && !scope?.failed.has(h) && !inEndedRole(pc, h, node));
    if (live.length === 0) return;
    if (node.kind === 'action') await runAction(pc, node, frame, live, scope, { rescuing });
    else if (node.kind === 'block') await runBlock(pc, node, frame, live, scope, rescuing);
    else await runInclude(pc, node, frame, live, scope, rescuing);
  }
}

/**
 * `meta: end_role`: the host skips the rest of that role's tasks; the first task of another role (or of
 * none) ends the mark, as Ansible's iterator moves past the role's remaining tasks.
 */
function inEndedRole(pc: PlayCtx, host: string, node: TaskNode): boolean {
  const ended = pc.endedRole?.get(host);
  if (!ended) return false;
  if (node.role === ended) return true;
  pc.endedRole?.delete(host);
  return false;
}

/**
 * block / rescue / always. A host that fails in `block` runs `rescue`; a host that becomes unreachable
 * inside the block runs it too (unlike Ansible: a restore must be able to clean up after losing a host,
 * e.g. from another host or the controller). Rescued hosts count as `rescued` and go on. `always` runs on
 * every host that entered the block, failed or not. A failure that is not rescued (in block, rescue or
 * always) goes to the enclosing block after `always`, or takes the host out of the run.
 */
export async function runBlock(pc: PlayCtx, block: BlockTask, parent: Frame, hosts: string[], scope: Scope | undefined, rescuing: boolean): Promise<void> {
  const frame = childFrame(parent, block);
  const inner: Scope = { failed: new Map() };
  await runNodes(pc, block.block, frame, hosts, inner, rescuing);
  const pending = new Map(inner.failed);
  if (block.rescue.length && inner.failed.size && mayContinue(pc)) {
    const rescueHosts = hosts.filter((h) => inner.failed.has(h) && !pc.playEnded && !pc.ended.has(h));
    for (const h of rescueHosts) pc.failInfo.set(h, inner.failed.get(h) as NonNullable<ReturnType<typeof inner.failed.get>>);
    const rs: Scope = { failed: new Map() };
    await runNodes(pc, block.rescue, frame, rescueHosts, rs, true);
    for (const h of rescueHosts) {
      pc.failInfo.delete(h);
      const f = rs.failed.get(h);
      if (f) pending.set(h, f);
      else if (!pc.run.opts.signal?.aborted) {
        pending.delete(h);
        pc.run.state.count(h, 'rescued');
      }
    }
  }
  if (block.always.length && mayContinue(pc)) {
    const alwaysHosts = hosts.filter((h) => !pc.run.state.isDown(h) && !pc.playEnded && !pc.ended.has(h));
    const as: Scope = { failed: new Map() };
    await runNodes(pc, block.always, frame, alwaysHosts, as, rescuing);
    for (const [h, f] of as.failed) if (!pending.has(h)) pending.set(h, f);
  }
  for (const h of hosts) {
    const f = pending.get(h);
    if (f) hostFailed(pc, h, f, scope, fatalFor(pc, frame, h));
  }
}

export { hostDown };
