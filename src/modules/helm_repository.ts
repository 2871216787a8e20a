import { shellJoin } from '../connection/quote.js';
import { defaultResult } from './apply.js';
import { argError, failedOp } from './common.js';
import { type HelmAuth, helmAuthSchema, helmEnv, helmGlobal } from './helm-cmd.js';
import { helmMissing, helmNotThere, helmProbe } from './helm.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * kubernetes.core.helm_repository — a chart repository in the helm configuration of the user the task runs as,
 * from `helm repo list -o json`: present with the same URL → no change (also with `force_update`, which only
 * decides what happens when the URL differs: replaced instead of refused); absent → `helm repo remove`.
 * The password goes to `helm repo add --password-stdin`, never on the command line.
 */
export interface HelmRepoArgs extends HelmAuth {
  repo_name?: string;
  name?: string;
  repo_url?: string;
  url?: string;
  repo_username?: string;
  username?: string;
  repo_password?: string;
  password?: string;
  repo_state?: 'present' | 'absent';
  state?: 'present' | 'absent';
  pass_credentials?: boolean;
  force_update?: boolean;
  force?: boolean;
}

const str = { type: 'string' };
const state = { type: 'string', enum: ['present', 'absent'] };

export const helmRepoSchema = {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['repo_name'] }, { required: ['name'] }],
  properties: {
    ...helmAuthSchema,
    repo_name: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    repo_url: str,
    url: str,
    repo_username: str,
    username: str,
    repo_password: str,
    password: str,
    repo_state: state,
    state,
    pass_credentials: { type: 'boolean' },
    force_update: { type: 'boolean' },
    force: { type: 'boolean' },
  },
};

/** `helm repo add NAME URL [--username=U --password-stdin] [--pass-credentials] [--force-update]`. */
export function repoAddArgv(a: HelmRepoArgs, name: string, url: string, replace: boolean): string[] {
  const user = a.repo_username ?? a.username;
  const pass = a.repo_password ?? a.password;
  return [
    ...helmGlobal(a),
    'repo',
    'add',
    name,
    url,
    ...(user !== undefined && pass !== undefined ? [`--username=${user}`, '--password-stdin'] : []),
    ...(a.pass_credentials ? ['--pass-credentials'] : []),
    ...(replace ? ['--force-update'] : []),
  ];
}

export const helmRepositoryModule: ModuleDef<HelmRepoArgs> = {
  name: 'helm_repository',
  summary: 'A helm chart repository added or removed (helm repo add / remove on the host); idempotent from helm repo list',
  schema: helmRepoSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const name = a.repo_name ?? a.name ?? '';
    const url = a.repo_url ?? a.url;
    const st = a.repo_state ?? a.state ?? 'present';
    const user = a.repo_username ?? a.username;
    const pass = a.repo_password ?? a.password;
    const force = a.force_update ?? a.force ?? false;
    if (st === 'present' && !url) throw argError('helm_repository', ctx, 'state present needs repo_url', 'add `repo_url:` (alias `url:`)');
    if ((user === undefined) !== (pass === undefined)) throw argError('helm_repository', ctx, 'repo_username and repo_password go together', 'give both, or neither');
    const env = helmEnv(a);
    const secrets = [...(pass ? [pass] : []), ...(a.api_key ? [a.api_key] : [])];
    const extra = { ...(env ? { env } : {}), ...(secrets.length ? { secrets } : {}) };
    const add = (replace: boolean): Step => ({
      kind: 'exec',
      cmd: shellJoin(repoAddArgv(a, name, url ?? '', replace)),
      ...(pass !== undefined && user !== undefined ? { stdin: pass } : {}),
      description: `helm repo add ${name} ${url}${replace ? ' (replacing the entry)' : ''}`,
      ...extra,
    });
    const remove: Step = { kind: 'exec', cmd: shellJoin([...helmGlobal(a), 'repo', 'remove', name]), description: `helm repo remove ${name}`, destructive: `removes helm repository ${name}`, ...extra };
    const main = st === 'absent' ? remove : add(force);
    const withFinish = (op: Operation): Operation => ({ ...op, finish: (outcomes) => ({ ...defaultResult(op, outcomes), repo_name: name, ...(url ? { repo_url: url } : {}) }) });
    const missing = await helmMissing(ctx);
    if (missing) return withFinish(helmNotThere(ctx, missing, [main], 'install helm on the host (kubespray: the helm role), or set binary_path'));
    const r = await helmProbe(ctx, [...helmGlobal(a), 'repo', 'list', '--output=json']);
    let repos: Array<{ name: string; url: string }> = [];
    if (r.rc !== 0 && !/no repositories to show/.test(r.stderr)) {
      return failedOp(`helm_repository: helm repo list failed (exit code ${r.rc}: ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0]})`);
    }
    if (r.rc === 0) {
      try {
        repos = JSON.parse(r.stdout || '[]') as typeof repos;
      } catch {
        return failedOp(`helm_repository: helm repo list gave no JSON: ${r.stdout.slice(0, 200)}`);
      }
    }
    const have = repos.find((x) => x.name === name);
    const same = { changed: false, steps: [], result: { changed: false, repo_name: name, ...(url ? { repo_url: url } : {}) } };
    if (st === 'absent') return have ? withFinish({ changed: true, steps: [remove] }) : same;
    if (!have) return withFinish({ changed: true, steps: [add(false)] });
    if (have.url.replace(/\/+$/, '') !== (url ?? '').replace(/\/+$/, '')) {
      if (!force) return failedOp(`Repository already have a repository named ${name} (at ${have.url}, not ${url}) — set force_update: true to replace it`);
      return withFinish({ changed: true, steps: [add(true)], notes: [`${name} is at ${have.url}: replaced`] });
    }
    // helm repo list shows no credentials: with them and force_update, kubernetes.core's re-add is kept
    if (force && pass !== undefined) return withFinish({ changed: 'unknown', steps: [add(true)], notes: ['credentials cannot be compared (helm repo list does not show them): added again'] });
    return same;
  },
};

registerModule(helmRepositoryModule);
