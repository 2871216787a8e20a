import { shellQuote } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import { probe } from '../common.js';
import { planService } from '../lib/service-common.js';
import type { ModuleDef, Operation, Step } from '../types.js';

/**
 * etcd_service — stop or start one member's etcd however it runs:
 * - `service`: a systemd unit or init script (the generic service module's plan).
 * - `static-pod` (kubeadm): stopping = moving `etcd.yaml` out of the kubelet's manifests directory into a stash
 *   (kept, never deleted) and waiting until the etcd process of this host's network namespace is gone;
 *   starting = moving it back and waiting until the process runs again (its health is verified afterwards).
 * `runtime` empty: static-pod when an etcd.yaml is in the manifests directory or the stash, else service.
 */
export interface EtcdServiceArgs {
  state: 'started' | 'stopped';
  runtime?: '' | 'service' | 'static-pod';
  /** The unit / init script (service runtime). */
  name?: string;
  manifests_dir?: string;
  stash_dir?: string;
  /** How long to wait for the kubelet to stop or start the pod. */
  timeout_s?: number;
}

export const DEFAULT_MANIFESTS_DIR = '/etc/kubernetes/manifests';
export const DEFAULT_STASH_DIR = '/etc/kubernetes/manifests.lifeboat-stopped';

/** Marks the commands of this module so a plan can tell what an earlier task leaves running. */
const TAG = ': lifeboat-static-pod';

/** Prints the pids of etcd processes in this shell's network namespace (all lab hosts may share a PID namespace). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
const PIDS = 'self=$(readlink /proc/$$/ns/net); pids() { for c in $(grep -lx etcd /proc/[0-9]*/comm 2>/dev/null); do p=${c#/proc/}; p=${p%/comm}; [ "$(readlink /proc/$p/ns/net 2>/dev/null)" = "$self" ] && printf "%s " "$p"; done; true; }';

function probeCmd(manifest: string, stashed: string): string {
  return `${PIDS}; [ -f ${shellQuote(manifest)} ] && echo manifest; [ -f ${shellQuote(stashed)} ] && echo stashed; echo "pids:$(pids)"`;
}

/** Waits until etcd's process is gone (`gone`) or runs (`runs`); fails naming the pids after `timeout` s. */
function waitCmd(until: 'gone' | 'runs', timeoutS: number): string {
  const test = until === 'gone' ? '[ -z "$(pids)" ]' : '[ -n "$(pids)" ]';
  const fail = until === 'gone'
    ? `echo "etcd (pid $(pids)) still runs ${timeoutS} s after its manifest was moved out: is the kubelet running?" >&2`
    : `echo "etcd did not start within ${timeoutS} s of its manifest being put back: is the kubelet running? (journalctl -u kubelet)" >&2`;
  return `${PIDS}; i=0; until ${test}; do i=$((i+1)); if [ "$i" -gt ${timeoutS * 5} ]; then ${fail}; exit 1; fi; sleep 0.2; done`;
}

/** In a plan: what an earlier task of this plan does to the manifest (true: put back, false: moved out). */
function plannedIn(earlier: readonly Step[] | undefined, manifest: string): boolean | undefined {
  let state: boolean | undefined;
  for (const s of earlier ?? []) {
    if (s.kind !== 'exec' || !s.cmd.startsWith(TAG)) continue;
    if (s.cmd.startsWith(`${TAG}-stop ${shellQuote(manifest)};`)) state = false;
    if (s.cmd.startsWith(`${TAG}-start ${shellQuote(manifest)};`)) state = true;
  }
  return state;
}

export const etcdServiceModule: ModuleDef<EtcdServiceArgs> = {
  name: 'etcd_service',
  summary: "Stop or start a member's etcd: its service, or kubeadm's static pod (manifest moved out and back, kept)",
  schema: {
    type: 'object',
    required: ['state'],
    properties: {
      state: { enum: ['started', 'stopped'] },
      runtime: { enum: ['', 'service', 'static-pod'] },
      name: { type: 'string', minLength: 1 },
      manifests_dir: { type: 'string', pattern: '^/' },
      stash_dir: { type: 'string', pattern: '^/' },
      timeout_s: { type: 'integer', minimum: 1 },
    },
    additionalProperties: false,
  },
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const dir = a.manifests_dir ?? DEFAULT_MANIFESTS_DIR;
    const stash = a.stash_dir ?? DEFAULT_STASH_DIR;
    const manifest = `${dir}/etcd.yaml`;
    const stashed = `${stash}/etcd.yaml`;
    const timeout = a.timeout_s ?? 120;
    const r = await probe(ctx, probeCmd(manifest, stashed));
    const lines = r.stdout.split('\n');
    let inDir = lines.includes('manifest');
    let inStash = lines.includes('stashed');
    const pids = (/^pids:(.*)$/m.exec(r.stdout)?.[1] ?? '').trim();
    const runtime = a.runtime || (inDir || inStash ? 'static-pod' : 'service');
    if (runtime === 'service') {
      const op = await planService(ctx, { module: 'etcd_service', name: a.name ?? 'etcd', state: a.state });
      return { ...op, result: { ...op.result, runtime } };
    }
    const notes: string[] = [];
    let running = pids !== '';
    const after = ctx.check ? plannedIn(ctx.earlierSteps, manifest) : undefined;
    if (after !== undefined) {
      notes.push(`an earlier task of this plan ${after ? 'puts back' : 'moves out'} ${manifest}`);
      inDir = after;
      inStash = !after;
      running = after;
    }
    const base = { runtime, manifest, stash: stashed };
    const q = shellQuote;
    if (a.state === 'stopped') {
      const steps: Step[] = [];
      if (inDir) {
        steps.push({
          kind: 'exec',
          // a stash left by an earlier run is moved aside, not overwritten
          cmd: `${TAG}-stop ${q(manifest)}; set -e; mkdir -p ${q(stash)}; if [ -e ${q(stashed)} ]; then mv ${q(stashed)} ${q(stashed)}.older-"$(date -u +%Y%m%dT%H%M%SZ)"; fi; mv ${q(manifest)} ${q(stashed)}`,
          description: `move ${manifest} to ${stash} (the kubelet stops etcd; the manifest is kept)`,
          destructive: `stops etcd (static pod): ${manifest} moved to ${stash}`,
        });
      } else if (!inStash && !running) {
        return { changed: false, steps: [], result: { changed: false, failed: true, msg: `etcd_service: no ${manifest} and none in ${stash}: nothing to stop as a static pod; set etcd_runtime: service if etcd runs as a service`, ...base } };
      } else if (!inStash && running) {
        throw new LifeboatError('E_MODULE', `etcd_service: etcd runs (pid ${pids}) but ${manifest} does not exist`, {
          host: ctx.host,
          hint: 'this etcd is not a static pod of the kubelet here: set etcd_runtime: service (and etcd_service to its unit) in the inventory',
        });
      }
      if (inDir || running) steps.push({ kind: 'exec', cmd: waitCmd('gone', timeout), description: `wait until etcd's process is gone (${timeout} s at most)` });
      return { changed: steps.length > 0, steps, ...(notes.length ? { notes } : {}), result: { ...base, state: 'stopped' } };
    }
    const steps: Step[] = [];
    if (!inDir && inStash) {
      steps.push({
        kind: 'exec',
        cmd: `${TAG}-start ${q(manifest)}; set -e; [ ! -e ${q(manifest)} ]; mv ${q(stashed)} ${q(manifest)}`,
        description: `move ${stashed} back to ${dir} (the kubelet starts etcd)`,
      });
    } else if (!inDir) {
      return { changed: false, steps: [], result: { changed: false, failed: true, msg: `etcd_service: no ${manifest} and none in ${stash} to put back`, ...base } };
    } else if (inStash) notes.push(`${manifest} is in place; ${stashed} (an earlier copy) is left alone`);
    if (!inDir || !running) steps.push({ kind: 'exec', cmd: waitCmd('runs', timeout), description: `wait until etcd runs again (${timeout} s at most)` });
    return { changed: steps.length > 0, steps, ...(notes.length ? { notes } : {}), result: { ...base, state: 'started' } };
  },
};
