import { shellQuote } from '../connection/quote.js';
import { argError } from './common.js';
import { readForEdit, writeEdited } from './edit-file.js';
import { dumpRepo, parseRepoFile, type RepoSections, writeRepoFile } from './lib/repo-file.js';
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, Operation } from './types.js';

/**
 * yum_repository (ansible.builtin) — one repository section of `<reposdir>/<file>.repo`, as Ansible's module
 * writes it: the section replaced whole by the given options (keys sorted; booleans 1/0; `baseurl`/`gpgkey`
 * lists one per line, `exclude`/`includepkgs` space-joined; `description` is the `name` key), the other sections
 * kept. Nothing changes when the file's sections and keys, sorted, are already the same (Ansible's comparison,
 * so comments or order alone are no change). `state: absent` removes the section, and the file with its last one.
 * Only the file: nothing runs yum or dnf, so it works the same on any host.
 *
 * Returns: repo, state, changed, diff.
 */
type Scalar = string | number | boolean;
export interface YumRepositoryArgs {
  name: string;
  description?: string;
  file?: string;
  reposdir?: string;
  state?: 'present' | 'absent';
  mode?: string | number;
  owner?: string;
  group?: string;
  [option: string]: Scalar | Scalar[] | undefined;
}

/** The options Ansible writes (ansible-core 2.14's allowed_params, `name` coming from `description`). */
const OPTIONS = [
  'async', 'bandwidth', 'baseurl', 'cost', 'deltarpm_metadata_percentage', 'deltarpm_percentage', 'enabled', 'enablegroups', 'exclude',
  'failovermethod', 'gpgcakey', 'gpgcheck', 'gpgkey', 'module_hotfixes', 'http_caching', 'include', 'includepkgs', 'ip_resolve', 'keepalive',
  'keepcache', 'metadata_expire', 'metadata_expire_filter', 'metalink', 'mirrorlist', 'mirrorlist_expire', 'password', 'priority', 'protect',
  'proxy', 'proxy_password', 'proxy_username', 'repo_gpgcheck', 'retries', 's3_enabled', 'skip_if_unavailable', 'sslcacert',
  'ssl_check_cert_permissions', 'sslclientcert', 'sslclientkey', 'sslverify', 'throttle', 'timeout', 'ui_repoid_vars', 'username',
] as const;
const ALIASES: Record<string, string> = { ca_cert: 'sslcacert', client_cert: 'sslclientcert', client_key: 'sslclientkey', validate_certs: 'sslverify' };
const NEWLINE_LISTS = new Set(['baseurl', 'gpgkey']);
const SPACE_LISTS = new Set(['exclude', 'includepkgs']);

const value = { anyOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'array', items: { type: ['string', 'number'] } }] };

export const yumRepositorySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    file: { type: 'string', minLength: 1 },
    reposdir: { type: 'string', pattern: '^/' },
    state: { enum: ['present', 'absent'] },
    mode: { type: ['string', 'integer'] },
    owner: { type: 'string', minLength: 1 },
    group: { type: 'string', minLength: 1 },
    ...Object.fromEntries([...OPTIONS, ...Object.keys(ALIASES)].map((k) => [k, value])),
  },
};

/** Python's str() of what the module received. */
const pyText = (v: Scalar): string => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

/** The section's entries, sorted by key as the module sets them. */
export function repoEntries(a: YumRepositoryArgs): Array<[string, string]> {
  const opts: Record<string, string> = {};
  for (const [k, raw] of Object.entries(a)) {
    const key = ALIASES[k] ?? k;
    if (raw === undefined || !(OPTIONS as readonly string[]).includes(key)) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    opts[key] = NEWLINE_LISTS.has(key) ? list.map(pyText).join('\n') : SPACE_LISTS.has(key) ? list.map(pyText).join(' ') : pyText(list[0] as Scalar);
  }
  if (a.description !== undefined) opts.name = a.description;
  return Object.entries(opts).sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

export async function planYumRepository(ctx: ModuleContext<YumRepositoryArgs>): Promise<Operation> {
  const a = ctx.args;
  const state = a.state ?? 'present';
  if (state === 'present') {
    if (a.baseurl === undefined && a.metalink === undefined && a.mirrorlist === undefined)
      throw argError('yum_repository', ctx, "Parameter 'baseurl', 'metalink' or 'mirrorlist' is required.");
    if (a.description === undefined) throw argError('yum_repository', ctx, "Parameter 'description' is required.");
  }
  const path = `${(a.reposdir ?? '/etc/yum.repos.d').replace(/\/+$/, '')}/${a.file ?? a.name}.repo`;
  const fileCtx = { ...ctx, args: { path, ...(a.mode !== undefined ? { mode: a.mode } : {}), ...(a.owner ? { owner: a.owner } : {}), ...(a.group ? { group: a.group } : {}) } };
  const f = await readForEdit(fileCtx, 'yum_repository');
  const before: RepoSections = f.stat.exists ? parseRepoFile(f.text) : [];
  const after = before.filter((s) => s.name !== a.name).map((s) => ({ name: s.name, entries: s.entries }));
  if (state === 'present') after.push({ name: a.name, entries: repoEntries(a) });
  const diff = { before: dumpRepo(before), after: dumpRepo(after) };
  const result = { repo: a.name, state, diff };
  if (diff.before === diff.after) {
    // the sections are as asked: only the file's mode/owner may still change (as Ansible)
    if (!f.stat.exists) return { changed: false, steps: [], result: { changed: false, ...result } };
    return writeEdited(fileCtx, 'yum_repository', f, f.text, result);
  }
  if (!after.length) {
    return {
      changed: true,
      steps: [{ kind: 'exec', cmd: `rm -f -- ${shellQuote(path)}`, description: `remove ${path} (its last repository, ${a.name}, removed)`, destructive: `deletes ${path}` }],
      diff: [{ path, before: f.text, after: '' }],
      result,
    };
  }
  return writeEdited(fileCtx, 'yum_repository', f, writeRepoFile(after), result);
}

export const yumRepositoryModule: ModuleDef<YumRepositoryArgs> = {
  name: 'yum_repository',
  summary: 'Add or remove a yum/dnf repository section in a .repo file (as Ansible writes it)',
  schema: yumRepositorySchema,
  plan: planYumRepository,
};

registerModule(yumRepositoryModule);
