/**
 * kube's kubectl command lines (modules/kube.ts runs them): pure functions of the arguments, so each state's
 * command line is unit-tested as it is written here. They follow kubespray's library/kube.py, with the
 * differences docs/modules.md lists.
 */
export type KubeState = 'present' | 'absent' | 'latest' | 'reloaded' | 'stopped' | 'exists';

export interface KubeArgs {
  name?: string;
  filename?: string | string[];
  files?: string | string[];
  file?: string | string[];
  filenames?: string | string[];
  namespace?: string;
  resource?: string;
  label?: string;
  server?: string;
  kubeconfig?: string;
  kubectl?: string;
  force?: boolean;
  wait?: boolean;
  all?: boolean;
  log_level?: number;
  state?: KubeState;
  recursive?: boolean;
}

const list = { type: ['array', 'string'], items: { type: 'string' } };

export const kubeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    filename: list,
    files: list,
    file: list,
    filenames: list,
    namespace: { type: 'string' },
    resource: { type: 'string' },
    label: { type: 'string' },
    server: { type: 'string' },
    kubeconfig: { type: 'string' },
    kubectl: { type: 'string', minLength: 1 },
    force: { type: 'boolean' },
    wait: { type: 'boolean' },
    all: { type: 'boolean' },
    log_level: { type: 'integer', minimum: 0 },
    state: { type: 'string', enum: ['present', 'absent', 'latest', 'reloaded', 'stopped', 'exists'] },
    recursive: { type: 'boolean' },
  },
};

/** `filename` (or its aliases `files`, `file`, `filenames`): a list, or a comma-separated string, each stripped. */
export function kubeFiles(a: KubeArgs): string[] {
  const v = a.filename ?? a.files ?? a.file ?? a.filenames;
  if (v === undefined || v === null) return [];
  const items = typeof v === 'string' ? v.split(',') : v;
  return items.map((f) => String(f).trim()).filter((f) => f !== '');
}

/** A filename kubectl reads itself (a URL, or stdin): no existence check on the host. */
export function isRemoteFile(f: string): boolean {
  return f === '-' || /^[a-z][a-z0-9+.-]*:\/\//i.test(f);
}

/** The kubectl program and the flags every command carries: --server, --kubeconfig, --v, --namespace. */
export function kubeBase(a: KubeArgs): string[] {
  const argv = [a.kubectl ?? 'kubectl'];
  if (a.server) argv.push(`--server=${a.server}`);
  if (a.kubeconfig) argv.push(`--kubeconfig=${a.kubeconfig}`);
  if (a.log_level) argv.push(`--v=${a.log_level}`);
  if (a.namespace) argv.push(`--namespace=${a.namespace}`);
  return argv;
}

const recursive = (a: KubeArgs) => (a.recursive ? ['--recursive=true'] : []);
const fileFlag = (files: string[]) => `--filename=${files.join(',')}`;

/** present, latest, reloaded: `kubectl apply --force [--wait] [--recursive=true] --filename=a,b`. */
export function applyArgv(a: KubeArgs, files: string[]): string[] {
  return [...kubeBase(a), 'apply', '--force', ...(a.wait ? ['--wait'] : []), ...recursive(a), fileFlag(files)];
}

/** The plan's probe for the apply states: what apply would change (server-side dry run, read-only). */
export function diffArgv(a: KubeArgs, files: string[]): string[] {
  return [...kubeBase(a), 'diff', '--request-timeout=30s', ...recursive(a), fileFlag(files)];
}

/** The selection by resource, name and label (absent, exists, without filename). */
function selection(a: KubeArgs): string[] {
  return [a.resource ?? '', ...(a.name ? [a.name] : []), ...(a.label ? [`--selector=${a.label}`] : [])];
}

/** exists, and absent's probe: `kubectl get … --no-headers` (`all`: --all-namespaces). */
export function getArgv(a: KubeArgs, files: string[]): string[] {
  const what = files.length ? [fileFlag(files), ...recursive(a)] : [...selection(a), ...(a.all ? ['--all-namespaces'] : [])];
  return [...kubeBase(a), 'get', '--request-timeout=30s', ...what, '--no-headers'];
}

/**
 * absent: `kubectl delete --filename=… --ignore-not-found [--recursive=true]`, or
 * `kubectl delete RESOURCE [NAME] [--selector=L] [--all] [--ignore-not-found (force)] [--recursive=true]`.
 */
export function deleteArgv(a: KubeArgs, files: string[]): string[] {
  if (files.length) return [...kubeBase(a), 'delete', fileFlag(files), '--ignore-not-found', ...recursive(a)];
  return [...kubeBase(a), 'delete', ...selection(a), ...(a.all ? ['--all'] : []), ...(a.force ? ['--ignore-not-found'] : []), ...recursive(a)];
}

/** What a selection names, for the plan: `ConfigMap config in metallb-system`, or the files. */
export function kubeWhat(a: KubeArgs, files: string[]): string {
  if (files.length) return `the objects of ${files.join(', ')}`;
  const ns = a.all ? ' in every namespace' : a.namespace ? ` in ${a.namespace}` : '';
  return `${a.resource}${a.name ? ` ${a.name}` : a.label ? ` with labels ${a.label}` : a.all ? ' (all)' : ''}${ns}`;
}

/** kubectl apply's output: one `kind/name created|configured|unchanged|…` line per object; changed unless all are unchanged. */
export function applyChanged(stdout: string): boolean {
  return stdout.split('\n').some((l) => l.trim() !== '' && !/\sunchanged$/.test(l.trim()));
}

/** kubectl delete's output: `kind "name" deleted` per object (nothing, with --ignore-not-found, when none was there). */
export function deleteChanged(stdout: string): boolean {
  return stdout.split('\n').some((l) => /\sdeleted$/.test(l.trim()));
}

/** The objects a `kubectl diff` would change: the names of its MERGED files (`apps.v1.Deployment.ns.name`). */
export function diffObjects(stdout: string): string[] {
  const out: string[] = [];
  for (const m of stdout.matchAll(/^\+\+\+ \S*\/MERGED-[^/\s]*\/(\S+)/gm)) if (m[1] && !out.includes(m[1])) out.push(m[1]);
  return out;
}

/** A `kubectl get` error that only says the object is not there. */
export function isNotFound(stderr: string): boolean {
  return /\bNotFound\b|\bnot found\b|No resources found/.test(stderr);
}
