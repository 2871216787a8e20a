import { LifeboatError, LifeboatErrors } from '../errors.js';
import { resolvePattern } from '../inventory/index.js';
import { checkNotify, walkTasks } from '../playbook/index.js';
import type { ActionTask, Play, Playbook, TaskNode } from '../playbook/types.js';
import { PASSWORD_VARS, renderValue } from '../vars/index.js';
import { batchesFor } from './batches.js';
import { type PlayCtx, type RunCtx, mayContinue } from './context.js';
import { rootFrame } from './frame.js';
import { flushHandlers } from './handlers.js';
import { hostVars } from './host-vars.js';
import { runAction } from './task.js';
import { loadDeferredVarsFiles } from './vars-files.js';
import { runNodes } from './walk.js';


/** The play's hosts: its pattern (templated with extra and play vars), ∩ --limit, minus hosts already out. */
export function playHosts(run: RunCtx, play: Play): string[] {
  const inv = run.opts.inventory;
  const pattern = String(renderValue(play.hosts, { ...play.vars, ...run.opts.extraVars }, { src: play.src, field: 'hosts' }));
  // as Ansible: a name in a play's pattern that is no host or group is a warning, and matches nothing
  // (groups made at run time by group_by/add_host, or an inventory without that group)
  const onUnknown = (name: string, hint: string): void =>
    run.emit({ type: 'warning', msg: `play "${play.name}": could not match "${name}" in host pattern "${pattern}", ignoring it (${hint})` });
  let hosts = resolvePattern(inv, pattern, { onUnknown });
  if (run.opts.limit) {
    const allowed = new Set(resolvePattern(inv, run.opts.limit));
    hosts = hosts.filter((h) => allowed.has(h));
  }
  return hosts.filter((h) => !run.state.isDown(h));
}

/** A play: serial batches, each through gather_facts, pre_tasks, roles + tasks, post_tasks (handlers after each). */
export async function runPlay(run: RunCtx, playbook: Playbook, play: Play, playIndex: number): Promise<void> {
  const errs = checkNotify(walkTasks([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers]), play.handlers);
  if (errs.length) throw new LifeboatErrors(errs);
  const hosts = playHosts(run, play);
  run.emit({ type: 'play_start', play: play.name, playIndex, hosts });
  for (const h of hosts) if (!run.state.counts.has(h)) run.state.count(h, 'ok', 0);
  if (hosts.length === 0) {
    run.emit({ type: 'warning', msg: `play "${play.name}": no hosts matched "${play.hosts}"${run.opts.limit ? ` with --limit ${run.opts.limit}` : ''}` });
  }
  const pc: PlayCtx = {
    run,
    playbook,
    play,
    playIndex,
    playSeq: run.playCount++,
    playHosts: hosts,
    batch: [],
    batchIndex: 0,
    ended: new Set(),
    playEnded: false,
    batchFailed: new Set(),
    notified: new Map(),
    failInfo: new Map(),
    nodeIds: new Map(),
    runs: new Map(),
    includes: new Map(),
    extraHandlers: [],
    varsFilesOf: new Map(),
    varsFileCache: new Map(),
  };
  const frame = rootFrame(play);
  const facts = factsTask(play);
  numberNodes(pc, [facts, ...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers]);
  const batches = batchesFor(hosts, play);
  for (let b = 0; b < batches.length; b++) {
    if (!mayContinue(pc)) break;
    const batch = (batches[b] as string[]).filter((h) => !run.state.isDown(h));
    if (batch.length === 0) continue;
    Object.assign(pc, { batch, batchIndex: b, batchFailed: new Set(), notified: new Map(), runs: new Map() });
    await loadDeferredVarsFiles(pc, batch);
    collectSecrets(pc, batch);
    run.emit({ type: 'batch_start', play: play.name, batchIndex: b, hosts: batch });
    if (play.gatherFacts) await runAction(pc, facts, frame, batch, undefined, { system: true });
    for (const section of [play.preTasks, play.tasks, play.postTasks]) {
      if (!mayContinue(pc)) break;
      await runNodes(pc, section, frame, batch, undefined);
      await flushHandlers(pc);
    }
    // As Ansible: when every host of a batch failed, the rest of the play's batches do not start.
    if (batch.every((h) => run.state.isDown(h)) && b < batches.length - 1) {
      run.emit({ type: 'warning', msg: `play "${play.name}": every host of batch ${b + 1} failed; the remaining batches do not run` });
      break;
    }
  }
  run.emit({ type: 'play_end', play: play.name });
}

/**
 * Task ids by position: every task written in the play is numbered before the walk, so an id does not
 * depend on what ran before it (a plan that could not look into an include still lines up with the run).
 */
function numberNodes(pc: PlayCtx, nodes: TaskNode[]): void {
  for (const n of nodes) {
    if (!pc.nodeIds.has(n)) pc.nodeIds.set(n, pc.nodeIds.size);
    if (n.kind === 'block') numberNodes(pc, [...n.block, ...n.rescue, ...n.always]);
  }
}

function factsTask(play: Play): ActionTask {
  return { kind: 'action', name: 'Gathering Facts', module: 'setup', args: {}, src: play.src, when: [], tags: ['always'], vars: {}, notify: [] };
}

/** Become/SSH passwords and the variables named by a play var `secret` or `no_log` (a name or a list). */
function collectSecrets(pc: PlayCtx, batch: string[]): void {
  const names: string[] = [...PASSWORD_VARS];
  for (const key of ['secret', 'no_log']) {
    const v = pc.play.vars[key];
    if (typeof v === 'string') names.push(v);
    else if (Array.isArray(v)) for (const n of v) if (typeof n === 'string') names.push(n);
  }
  for (const host of batch) {
    let vars: Record<string, unknown>;
    try {
      vars = hostVars(pc, host, undefined);
    } catch {
      continue;
    }
    for (const n of names) {
      if (!(n in vars)) continue;
      try {
        pc.run.secrets.addDeep(renderValue(vars[n], vars, { host, field: n }));
      } catch (e) {
        if (!(e instanceof LifeboatError)) throw e;
      }
    }
  }
}
