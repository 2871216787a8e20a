import { parse as parseYaml } from 'yaml';
import { shellJoin, shellQuote } from '../connection/quote.js';
import type { ExecResult } from '../connection/types.js';
import { defaultResult } from './apply.js';
import { argError, failedOp } from './common.js';
import {
  getValuesArgv,
  type HelmArgs,
  type HelmAuth,
  helmEnv,
  helmRelease,
  helmSchema,
  listArgv,
  mergeValues,
  type Release,
  repoUpdateArgv,
  showChartArgv,
  uninstallArgv,
  upgradeArgv,
  valuesDiffer,
} from './helm-cmd.js';
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, Operation, Step } from './types.js';

/**
 * kubernetes.core.helm — a release installed, upgraded or uninstalled with the helm CLI on the host.
 *
 * Whether `present` changes anything is decided from helm's own records, read with read-only commands:
 * `helm list --all --filter ^NAME$ -o json` (is the release there, is its status `deployed`, which chart
 * `name-version` and app version it runs), `helm show chart CHART [--version] [--repo]` (the chart the task
 * asks for), and `helm get values NAME -o json` (the user-supplied values helm stored with the release) against
 * the task's values_files (read on the host) merged as helm merges them, with `values` over them. Same chart,
 * same app version, deployed, same values, no `force` → no step. Lifeboat stores nothing of its own: the upgrade
 * always passes --reset-values, so what helm stored is exactly what the last upgrade was given.
 */
type Ctx = ModuleContext<HelmArgs>;
type Obj = Record<string, unknown>;
const last = (r: ExecResult) => (r.stderr || r.stdout).trim().split('\n').slice(-1)[0] || `exit code ${r.rc}`;

/** A read-only helm command, with the token (if any) in its environment. */
export function helmProbe(ctx: ModuleContext<HelmAuth>, argv: string[]): Promise<ExecResult> {
  const env = helmEnv(ctx.args);
  return ctx.conn.exec(shellJoin(argv), { become: ctx.become, ...(env ? { env } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
}

/** Why helm cannot run on the host now, or undefined. */
export async function helmMissing(ctx: ModuleContext<HelmAuth>): Promise<string | undefined> {
  const b = ctx.args.binary_path ?? 'helm';
  const test = b.includes('/') ? `[ -x ${shellQuote(b)} ]` : `command -v ${shellQuote(b)} >/dev/null`;
  const r = await ctx.conn.exec(test, { become: ctx.become, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  if (r.rc === 0) return undefined;
  return b.includes('/') ? `helm (${b}) is not on the host` : "helm is not on the host's PATH";
}

/** Plan: unknown with the steps and why; run: failed, saying what to do. */
export function helmNotThere(ctx: { check: boolean }, why: string, steps: Step[], hint: string): Operation {
  if (!ctx.check) return failedOp(`${why} — ${hint}`);
  return { changed: 'unknown', steps, notes: [`${why} yet; the run fails unless an earlier task sees to it`], result: { changed: false } };
}

/** The values the task gives: its values_files (read on the host, YAML) merged in order, then `values`. */
async function desiredValues(ctx: Ctx): Promise<Obj | string> {
  let out: Obj = {};
  for (const f of ctx.args.values_files ?? []) {
    const r = await ctx.conn.exec(`cat -- ${shellQuote(f)}`, { become: ctx.become, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    if (r.rc !== 0) return `values file ${f} cannot be read on the host (${last(r)})`;
    let doc: unknown;
    try {
      doc = parseYaml(r.stdout, { version: '1.1' });
    } catch (e) {
      return `values file ${f} is not YAML: ${(e as Error).message.split('\n')[0]}`;
    }
    if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) return `values file ${f} holds no mapping`;
    out = mergeValues(out, (doc ?? {}) as Obj);
  }
  return mergeValues(out, ctx.args.release_values ?? ctx.args.values ?? {});
}

/** What differs between the release and the task (empty: nothing), and what could not be read. */
async function compare(ctx: Ctx, rel: Release, want: Obj): Promise<{ reasons: string[]; unknown: string[]; current?: Obj }> {
  const reasons: string[] = [];
  const unknown: string[] = [];
  if (rel.status !== 'deployed') reasons.push(`release status is ${rel.status ?? 'unknown'}, not deployed`);
  const show = await helmProbe(ctx, showChartArgv(ctx.args));
  let c: { name?: string; version?: string; appVersion?: string } | undefined;
  try {
    c = show.rc === 0 ? ((parseYaml(show.stdout) ?? {}) as typeof c) : undefined;
  } catch {}
  if (!c?.name || !c.version) unknown.push(`helm show chart ${ctx.args.chart_ref} ${show.rc === 0 ? 'gave no chart name and version' : `failed (${last(show)})`}`);
  else {
    const chart = `${c.name}-${c.version}`;
    if (chart !== rel.chart) reasons.push(`chart ${rel.chart} → ${chart}`);
    else if ((c.appVersion ?? '') !== (rel.app_version ?? '')) reasons.push(`app version ${rel.app_version} → ${c.appVersion}`);
  }
  const got = await helmProbe(ctx, getValuesArgv(ctx.args));
  let current: Obj | undefined;
  try {
    current = got.rc === 0 ? ((JSON.parse(got.stdout || 'null') ?? {}) as Obj) : undefined;
  } catch {}
  if (!current) unknown.push(`helm get values failed (${last(got)})`);
  else {
    const keys = valuesDiffer(current, want);
    if (keys.length) reasons.push(`values differ at ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`);
  }
  if (ctx.args.force) reasons.push('force');
  return { reasons, unknown, ...(current ? { current } : {}) };
}

function check(ctx: Ctx): void {
  const a = ctx.args;
  const r = helmRelease(a);
  if (r.state === 'present' && !a.chart_ref) throw argError('helm', ctx, 'state present needs chart_ref', 'add `chart_ref:` (repo/chart, a path or a URL)');
  if (a.wait_timeout !== undefined && a.timeout !== undefined) throw argError('helm', ctx, 'wait_timeout and timeout are mutually exclusive', 'keep `timeout:`');
  if (a.replace && a.history_max !== undefined) throw argError('helm', ctx, 'replace and history_max are mutually exclusive');
  if (a.replace && r.state === 'absent') throw argError('helm', ctx, 'replace is not applicable when state is absent');
  if (a.reset_values === false || a.reuse_values) {
    throw argError('helm', ctx, 'reset_values: false / reuse_values are not supported: Lifeboat compares the release\'s stored values with the task\'s, which needs --reset-values', 'give the whole values in `values:` / `values_files:`');
  }
}

async function planHelm(ctx: Ctx): Promise<Operation> {
  check(ctx);
  const a = ctx.args;
  const r = helmRelease(a);
  const env = helmEnv(a);
  const secrets = a.api_key ? [a.api_key] : [];
  const extra = { ...(env ? { env } : {}), ...(secrets.length ? { secrets } : {}) };
  const pre: Step[] = a.update_repo_cache ? [{ kind: 'exec', cmd: shellJoin(repoUpdateArgv(a)), description: 'helm repo update (refreshes the chart cache; not a change)', ...extra }] : [];
  const who = `helm release ${r.ns}/${r.name}`;
  const values = await desiredValues(ctx);
  const given = a.release_values ?? a.values ?? {};
  const stdinValues = Object.keys(given).length > 0;
  const deploy = (installed: boolean): Step => ({
    kind: 'exec',
    cmd: shellJoin(upgradeArgv(a, { installed, stdinValues })),
    ...(stdinValues ? { stdin: JSON.stringify(given) } : {}),
    description: `${installed ? 'upgrade' : 'install'} ${who} (${a.chart_ref}${r.version ? ` ${r.version}` : ''})`,
    ...(installed && a.force ? { destructive: `upgrades ${who} with --force (its objects are replaced)` } : {}),
    ...extra,
  });
  const uninstall: Step = { kind: 'exec', cmd: shellJoin(uninstallArgv(a)), description: `uninstall ${who}`, destructive: `uninstalls ${who}`, ...extra };
  const main = r.state === 'absent' ? uninstall : deploy(true);
  const withFinish = (op: Operation): Operation => ({
    ...op,
    finish: (outcomes) => {
      const res = defaultResult(op, outcomes);
      const mainStep = op.steps.find((st) => !pre.includes(st));
      const ran = mainStep !== undefined && outcomes.some((o) => o.step === mainStep && o.error === undefined);
      const command = outcomes.flatMap((o) => (o.step.kind === 'exec' ? [o.step.cmd] : [])).join('; ');
      return { ...res, changed: !res.failed && ran, ...(command ? { command } : {}) };
    },
  });
  const missing = await helmMissing(ctx);
  if (missing) return withFinish(helmNotThere(ctx, missing, [...pre, main], `install helm on the host (kubespray: the helm role), or set binary_path`));
  if (typeof values === 'string') return withFinish(helmNotThere(ctx, values, [...pre, main], 'write the values file before this task'));
  const list = await helmProbe(ctx, listArgv(a));
  let rel: Release | undefined;
  try {
    rel = list.rc === 0 ? ((JSON.parse(list.stdout || '[]') as Release[]).find((x) => x.name === r.name)) : undefined;
  } catch {
    return withFinish(helmNotThere(ctx, `helm list gave no JSON: ${list.stdout.slice(0, 200)}`, [...pre, main], 'check binary_path names helm 3'));
  }
  if (list.rc !== 0) {
    return withFinish(helmNotThere(ctx, `helm list cannot read the releases of ${r.ns} (${last(list)})`, [...pre, main], 'check that the cluster is reachable with the kubeconfig/context the task gives'));
  }
  const noChange = (extraRes: Obj = {}): Operation => ({ changed: false, steps: pre, result: { changed: false, ...extraRes } });
  if (r.state === 'absent') {
    if (!rel || rel.status === 'uninstalled') return withFinish(noChange());
    return withFinish({ changed: true, steps: [...pre, uninstall], notes: [`${who} is ${rel.status}, chart ${rel.chart}`] });
  }
  if (!rel) return withFinish({ changed: true, steps: [...pre, deploy(false)], notes: [`${who} is not installed`] });
  const c = await compare(ctx, rel, values);
  if (a.update_repo_cache && !r.version) c.unknown.push('no chart_version: the newest version is known only after helm repo update');
  const status = { ...rel, values: c.current };
  if (c.reasons.length) return withFinish({ changed: true, steps: [...pre, deploy(true)], notes: c.reasons, result: { status } });
  if (c.unknown.length) return withFinish({ changed: 'unknown', steps: [...pre, deploy(true)], notes: c.unknown, result: { status } });
  return withFinish(noChange({ status, msg: `${who}: chart ${rel.chart}, deployed, same values` }));
}

export const helmModule: ModuleDef<HelmArgs> = {
  name: 'helm',
  summary: 'A helm release installed, upgraded or uninstalled (helm CLI on the host); idempotent from helm list / get values',
  schema: helmSchema,
  plan: planHelm,
};

registerModule(helmModule);
