import { shellJoin, shellQuote } from '../connection/quote.js';
import { defaultResult } from './apply.js';
import { argError, failedOp, probe } from './common.js';
import {
  applyArgv,
  applyChanged,
  deleteArgv,
  deleteChanged,
  diffArgv,
  diffObjects,
  getArgv,
  isNotFound,
  isRemoteFile,
  type KubeArgs,
  kubeFiles,
  kubeSchema,
  kubeWhat,
} from './kube-cmd.js';
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, Operation, Step, StepOutcome } from './types.js';

/**
 * kube — kubespray's own module (its playbook's library/kube.py, which Ansible finds beside the playbook):
 * kubectl on the host, Lifeboat's own implementation of the same arguments and command lines (kube-cmd.ts).
 *
 * Changed is what kubectl says, where kube.py always reports "not changed": the apply states first ask
 * `kubectl diff` (a server-side dry run; nothing to change → no step), and after apply its per-object output
 * decides (every object `unchanged` → not changed); absent deletes only what `kubectl get` finds (unless
 * `force`). Without a kubectl or a manifest on the host the plan says "unknown until run" (kubespray installs
 * kubectl and writes its manifests in earlier tasks) and a run fails, naming what is missing.
 */
const MARK = '--lifeboat-kube--';
const last = (s: string) => s.trim().split('\n').slice(-1)[0] ?? '';

/** What is missing on the host now: kubectl, or some of the manifests. */
async function missing(ctx: ModuleContext<KubeArgs>, files: string[]): Promise<string[]> {
  const k = ctx.args.kubectl ?? 'kubectl';
  const test = k.includes('/') ? `[ -x ${shellQuote(k)} ]` : `command -v ${shellQuote(k)} >/dev/null`;
  const checks = files.filter((f) => !isRemoteFile(f)).map((f) => `[ -e ${shellQuote(f)} ] || echo ${shellQuote(`${MARK}file ${f}`)}`);
  const r = await probe(ctx, [`${test} || echo ${shellQuote(`${MARK}kubectl`)}`, ...checks].join('\n'));
  const out: string[] = [];
  for (const line of r.stdout.split('\n')) {
    if (line === `${MARK}kubectl`) out.push(k.includes('/') ? `kubectl (${k}) is not on the host` : `kubectl is not on the host's PATH`);
    else if (line.startsWith(`${MARK}file `)) out.push(`${line.slice(MARK.length + 5)} does not exist on the host`);
  }
  return out;
}

/** Plan: unknown, with the step it would run and why; run: a failed result saying what to do. */
function notThere(ctx: ModuleContext<KubeArgs>, what: string[], steps: Step[]): Operation {
  if (!ctx.check) {
    return failedOp(`kube: ${what.join('; ')} — install kubectl (or set kube's \`kubectl:\` to its path) and write the manifests before this task`);
  }
  return { changed: 'unknown', steps, notes: what.map((w) => `${w} yet; the run fails unless an earlier task provides it`), result: { changed: false } };
}

/** An earlier step of this plan writes one of the manifests: the diff against today's file would mislead. */
function rewrittenEarlier(ctx: ModuleContext<KubeArgs>, files: string[]): string | undefined {
  for (const s of ctx.earlierSteps ?? []) {
    for (const f of files) {
      if (s.kind === 'put' && (s.dest === f || s.dest.startsWith(`${f}/`))) return f;
      if (s.kind === 'exec' && s.cmd.includes(f)) return f;
    }
  }
  return undefined;
}

function finishWith(decide: (stdout: string) => boolean, prefix: string) {
  return (op: Operation) =>
    (outcomes: StepOutcome[]) => {
      const r = defaultResult(op, outcomes);
      const stdout = outcomes[outcomes.length - 1]?.exec?.stdout ?? '';
      // a failed kubectl changed what its output names before it failed (usually nothing)
      if (r.failed) return { ...r, changed: decide(stdout) };
      return { ...r, changed: decide(stdout), msg: `${prefix}${stdout.trim().split('\n').join(' ')}` };
    };
}

async function planApply(ctx: ModuleContext<KubeArgs>, files: string[]): Promise<Operation> {
  const a = ctx.args;
  if (!files.length) throw argError('kube', ctx, `state ${a.state} needs filename (the manifests to apply)`, 'add `filename:` — a file, a list or a directory');
  const step: Step = { kind: 'exec', cmd: shellJoin(applyArgv(a, files)), description: `kubectl apply ${files.join(', ')}` };
  const withFinish = (op: Operation): Operation => ({ ...op, finish: finishWith(applyChanged, 'success: ')(op) });
  const gone = await missing(ctx, files);
  if (gone.length) return withFinish(notThere(ctx, gone, [step]));
  const later = ctx.check ? rewrittenEarlier(ctx, files) : undefined;
  if (later) {
    return withFinish({ changed: 'unknown', steps: [step], notes: [`an earlier task writes ${later}: what apply changes is known in the run (kubectl diff then)`] });
  }
  const d = await probe(ctx, shellJoin(diffArgv(a, files)));
  if (d.rc === 0) return { changed: false, steps: [], result: { changed: false, msg: 'unchanged: kubectl diff finds no difference' } };
  if (d.rc === 1) {
    const objs = diffObjects(d.stdout);
    return withFinish({ changed: true, steps: [step], notes: [`kubectl diff: ${objs.length ? `changes ${objs.join(', ')}` : 'differences found'}`] });
  }
  const why = last(d.stderr || d.stdout) || `exit code ${d.rc}`;
  return withFinish({ changed: 'unknown', steps: [step], notes: [`kubectl diff could not tell what apply changes (${why}); apply runs and its output decides`] });
}

/** `kubectl get`: true / false, or the error when kubectl could not tell. */
async function exists(ctx: ModuleContext<KubeArgs>, files: string[]): Promise<boolean | string> {
  const r = await probe(ctx, shellJoin(getArgv(ctx.args, files)));
  if (r.rc === 0) return r.stdout.trim() !== '';
  if (isNotFound(r.stderr) && r.stdout.trim() === '') return false;
  if (isNotFound(r.stderr)) return true; // some of the objects are there
  return last(r.stderr || r.stdout) || `exit code ${r.rc}`;
}

async function planAbsent(ctx: ModuleContext<KubeArgs>, files: string[]): Promise<Operation> {
  const a = ctx.args;
  const what = kubeWhat(a, files);
  const step: Step = { kind: 'exec', cmd: shellJoin(deleteArgv(a, files)), description: `kubectl delete ${what}`, destructive: `deletes ${what}` };
  const withFinish = (op: Operation): Operation => ({ ...op, finish: finishWith(deleteChanged, 'success: ')(op) });
  const gone = await missing(ctx, files);
  if (gone.length) return withFinish(notThere(ctx, gone, [step]));
  if (a.force) return withFinish({ changed: 'unknown', steps: [step], notes: ['force: deleted without asking kubectl get first'] });
  const e = await exists(ctx, files);
  if (e === false) return { changed: false, steps: [], result: { changed: false, msg: `${what}: not there` } };
  if (e === true) return withFinish({ changed: true, steps: [step] });
  return withFinish({ changed: 'unknown', steps: [step], notes: [`kubectl get could not tell whether ${what} exists (${e})`] });
}

async function planExists(ctx: ModuleContext<KubeArgs>, files: string[]): Promise<Operation> {
  const gone = await missing(ctx, files);
  if (gone.length) return notThere(ctx, gone, []);
  const e = await exists(ctx, files);
  if (typeof e === 'string') return failedOp(`kube: kubectl get could not tell whether ${kubeWhat(ctx.args, files)} exists: ${e}`);
  return { changed: false, steps: [], result: { changed: false, msg: e ? 'True' : 'False', exists: e } };
}

export const kubeModule: ModuleDef<KubeArgs> = {
  name: 'kube',
  summary: "kubespray's kube: kubectl apply / delete / get on the host",
  schema: kubeSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const state = a.state ?? 'present';
    const files = kubeFiles(a);
    if (state === 'stopped') {
      throw argError('kube', ctx, 'state stopped runs `kubectl stop`, which kubectl has not had for years (kube.py fails there too)', 'use state: absent to delete, or `command: kubectl scale --replicas=0 …`');
    }
    if ((state === 'absent' || state === 'exists') && !files.length && !a.resource) {
      throw argError('kube', ctx, `state ${state} needs resource (with name or label) or filename`, 'add `resource:` (e.g. ConfigMap) and `name:`');
    }
    const c = { ...ctx, args: { ...a, state } };
    if (state === 'absent') return planAbsent(c, files);
    if (state === 'exists') return planExists(c, files);
    return planApply(c, files);
  },
};

registerModule(kubeModule);
