/**
 * kubernetes.core.helm's arguments and the helm command lines they make (modules/helm.ts runs them), plus the
 * comparison that decides whether a release would change. Pure functions, unit-tested line by line.
 */
export interface HelmAuth {
  binary_path?: string;
  context?: string;
  kube_context?: string;
  kubeconfig?: string;
  kubeconfig_path?: string;
  host?: string;
  ca_cert?: string;
  ssl_ca_cert?: string;
  validate_certs?: boolean;
  verify_ssl?: boolean;
  api_key?: string;
}

export interface HelmArgs extends HelmAuth {
  release_name?: string;
  name?: string;
  release_namespace?: string;
  namespace?: string;
  release_state?: 'present' | 'absent';
  state?: 'present' | 'absent';
  chart_ref?: string;
  chart_version?: string;
  chart_repo_url?: string;
  release_values?: Record<string, unknown>;
  values?: Record<string, unknown>;
  values_files?: string[];
  update_repo_cache?: boolean;
  disable_hook?: boolean;
  force?: boolean;
  purge?: boolean;
  wait?: boolean;
  wait_timeout?: string;
  timeout?: string;
  atomic?: boolean;
  create_namespace?: boolean;
  post_renderer?: string;
  replace?: boolean;
  skip_crds?: boolean;
  history_max?: number;
  dependency_update?: boolean;
  plain_http?: boolean;
  reset_values?: boolean;
  reuse_values?: boolean;
}

const str = { type: 'string' };
const bool = { type: 'boolean' };
const duration = { type: ['string', 'integer'] };

/** The connection arguments every kubernetes.core helm module takes (helm_common_options). */
export const helmAuthSchema = {
  binary_path: { type: 'string', minLength: 1 },
  context: str,
  kube_context: str,
  kubeconfig: str,
  kubeconfig_path: str,
  host: str,
  ca_cert: str,
  ssl_ca_cert: str,
  validate_certs: bool,
  verify_ssl: bool,
  api_key: str,
};

export const helmSchema = {
  type: 'object',
  additionalProperties: false,
  allOf: [{ anyOf: [{ required: ['release_name'] }, { required: ['name'] }] }, { anyOf: [{ required: ['release_namespace'] }, { required: ['namespace'] }] }],
  properties: {
    ...helmAuthSchema,
    release_name: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    release_namespace: { type: 'string', minLength: 1 },
    namespace: { type: 'string', minLength: 1 },
    release_state: { type: 'string', enum: ['present', 'absent'] },
    state: { type: 'string', enum: ['present', 'absent'] },
    chart_ref: str,
    chart_version: { type: ['string', 'number'] },
    chart_repo_url: str,
    release_values: { type: ['object', 'null'] },
    values: { type: ['object', 'null'] },
    values_files: { type: 'array', items: str },
    update_repo_cache: bool,
    disable_hook: bool,
    force: bool,
    purge: bool,
    wait: bool,
    wait_timeout: duration,
    timeout: duration,
    atomic: bool,
    create_namespace: bool,
    post_renderer: str,
    replace: bool,
    skip_crds: bool,
    history_max: { type: 'integer', minimum: 0 },
    dependency_update: bool,
    plain_http: bool,
    reset_values: bool,
    reuse_values: bool,
  },
};

/** helm and the flags that say which cluster: --kube-context, --kubeconfig, --kube-apiserver, --kube-ca-file, …. */
export function helmGlobal(a: HelmAuth): string[] {
  const argv = [a.binary_path ?? 'helm'];
  const context = a.context ?? a.kube_context;
  const kubeconfig = a.kubeconfig ?? a.kubeconfig_path;
  const ca = a.ca_cert ?? a.ssl_ca_cert;
  if (context) argv.push(`--kube-context=${context}`);
  if (kubeconfig) argv.push(`--kubeconfig=${kubeconfig}`);
  if (a.host) argv.push(`--kube-apiserver=${a.host}`);
  if (ca) argv.push(`--kube-ca-file=${ca}`);
  if ((a.validate_certs ?? a.verify_ssl) === false) argv.push('--kube-insecure-skip-tls-verify');
  return argv;
}

/** The token goes in helm's environment (HELM_KUBETOKEN), never on the command line. */
export function helmEnv(a: HelmAuth): Record<string, string> | undefined {
  return a.api_key ? { HELM_KUBETOKEN: a.api_key } : undefined;
}

export interface Release {
  name: string;
  namespace?: string;
  revision?: string | number;
  status?: string;
  chart?: string;
  app_version?: string;
}

/** The release, its namespace, state and chart version as the module uses them (aliases resolved). */
export function helmRelease(a: HelmArgs): { name: string; ns: string; state: 'present' | 'absent'; version?: string } {
  const v = a.chart_version === undefined || a.chart_version === null || a.chart_version === '' ? undefined : String(a.chart_version);
  return { name: a.release_name ?? a.name ?? '', ns: a.release_namespace ?? a.namespace ?? '', state: a.release_state ?? a.state ?? 'present', ...(v ? { version: v } : {}) };
}

const regexEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `helm list` of this one release in any status (deployed, failed, pending-…, uninstalled with history). */
export function listArgv(a: HelmArgs): string[] {
  const r = helmRelease(a);
  return [...helmGlobal(a), 'list', `--namespace=${r.ns}`, '--all', `--filter=^${regexEscape(r.name)}$`, '--output=json'];
}

/** The release's user-supplied values, as helm stored them. */
export function getValuesArgv(a: HelmArgs): string[] {
  const r = helmRelease(a);
  return [...helmGlobal(a), 'get', 'values', r.name, `--namespace=${r.ns}`, '--output=json'];
}

/** The chart the task asks for: its name and version as helm resolves them (repo cache, path or URL). */
export function showChartArgv(a: HelmArgs): string[] {
  const r = helmRelease(a);
  return [...helmGlobal(a), 'show', 'chart', a.chart_ref ?? '', ...(r.version ? [`--version=${r.version}`] : []), ...(a.chart_repo_url ? [`--repo=${a.chart_repo_url}`] : [])];
}

export function repoUpdateArgv(a: HelmAuth): string[] {
  return [...helmGlobal(a), 'repo', 'update'];
}

/**
 * Install or upgrade: `helm upgrade --install NAME CHART --namespace=NS [--version] [--repo] --reset-values …`
 * (`replace`: `helm install … --replace`, as kubernetes.core). The values go on stdin as the last `--values=-`,
 * after the values_files, so they win (as kubernetes.core's temporary file does).
 */
export function upgradeArgv(a: HelmArgs, opts: { installed: boolean; stdinValues: boolean }): string[] {
  const r = helmRelease(a);
  const argv = [...helmGlobal(a), ...(a.replace ? ['install'] : ['upgrade', '--install']), r.name, a.chart_ref ?? '', `--namespace=${r.ns}`];
  if (r.version) argv.push(`--version=${r.version}`);
  if (a.chart_repo_url) argv.push(`--repo=${a.chart_repo_url}`);
  if (!a.replace) argv.push('--reset-values');
  if (a.wait) argv.push('--wait');
  const timeout = a.timeout ?? (a.wait ? a.wait_timeout : undefined);
  if (timeout !== undefined) argv.push(`--timeout=${timeout}`);
  if (a.atomic) argv.push('--atomic');
  if (a.force && opts.installed) argv.push('--force');
  if (a.replace) argv.push('--replace');
  if (a.disable_hook) argv.push('--no-hooks');
  if (a.create_namespace) argv.push('--create-namespace');
  if (a.dependency_update) argv.push('--dependency-update');
  for (const f of a.values_files ?? []) argv.push(`--values=${f}`);
  if (opts.stdinValues) argv.push('--values=-');
  if (a.post_renderer) argv.push(`--post-renderer=${a.post_renderer}`);
  if (a.skip_crds) argv.push('--skip-crds');
  if (a.history_max !== undefined) argv.push(`--history-max=${a.history_max}`);
  if (a.plain_http) argv.push('--plain-http');
  return argv;
}

/** `helm uninstall NAME --namespace=NS [--keep-history (purge: false)] [--no-hooks] [--wait] [--timeout]`. */
export function uninstallArgv(a: HelmArgs): string[] {
  const r = helmRelease(a);
  const argv = [...helmGlobal(a), 'uninstall', r.name, `--namespace=${r.ns}`];
  if (a.purge === false) argv.push('--keep-history');
  if (a.disable_hook) argv.push('--no-hooks');
  if (a.wait) argv.push('--wait');
  const timeout = a.timeout ?? a.wait_timeout;
  if (timeout !== undefined) argv.push(`--timeout=${timeout}`);
  return argv;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** helm's merge of values files and `-f`: maps merge key by key, anything else is replaced by the later value. */
export function mergeValues(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? mergeValues(out[k] as Obj, v) : v;
  return out;
}

/** The key paths where two values trees differ (`a.b`, `list`), for the plan's note — never the values. */
export function valuesDiffer(a: unknown, b: unknown, path = ''): string[] {
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => valuesDiffer(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return canon(a) === canon(b) ? [] : [path || '(all)'];
}

/** JSON with every map's keys sorted (helm prints them so), to compare lists of maps whatever the order written. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
