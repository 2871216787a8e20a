import { shellJoin, shellQuote } from '../connection/quote.js';
import { argError, probe } from './common.js';
import { packageList, planApt } from './apt.js';
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, Operation, Step } from './types.js';

/**
 * package — install or remove packages with the host's own manager: apt on Debian-family hosts (the apt module's
 * code), dnf/yum on rpm hosts. yum and dnf are the same module here.
 *
 * dnf/yum: one probe (`rpm -q`) decides what to install or remove, and the plan shows the `dnf -y install …` it
 * would run. A real run of dnf/yum is refused: Lifeboat has no rpm lab host to prove it on yet, so it stops with
 * that message instead of running untested commands. `latest` on rpm hosts plans `dnf -y upgrade NAME` for
 * installed packages (whether an update exists is not probed).
 */
export interface PackageArgs {
  name?: string | string[];
  pkg?: string | string[];
  state?: 'present' | 'installed' | 'absent' | 'removed' | 'latest';
  use?: 'auto' | 'apt' | 'dnf' | 'yum' | 'dnf5';
  update_cache?: boolean;
  cache_valid_time?: number;
}

const names = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string', minLength: 1 } }] };

export const packageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: names,
    state: { type: 'string', enum: ['present', 'installed', 'absent', 'removed', 'latest'] },
    use: { type: 'string', enum: ['auto', 'apt', 'dnf', 'yum', 'dnf5'] },
    // passed on to the backend, as Ansible's package does (apt: both; dnf/yum: update_cache)
    update_cache: { type: 'boolean' },
    cache_valid_time: { type: 'integer', minimum: 0 },
  },
};

export const rpmSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: names,
    pkg: names,
    state: { type: 'string', enum: ['present', 'installed', 'absent', 'removed', 'latest'] },
    update_cache: { type: 'boolean' },
    enablerepo: names,
    disablerepo: names,
    disable_gpg_check: { type: 'boolean' },
    exclude: names,
    allow_downgrade: { type: 'boolean' },
    install_weak_deps: { type: 'boolean' },
    lock_timeout: { type: 'integer' },
    use_backend: { type: 'string' },
  },
  anyOf: [{ required: ['name'] }, { required: ['pkg'] }],
};

async function manager(ctx: ModuleContext<unknown>): Promise<'apt' | 'dnf' | 'yum' | undefined> {
  const r = await probe(ctx, 'for m in apt-get dnf yum; do if command -v $m >/dev/null 2>&1; then echo $m; exit 0; fi; done; true');
  const m = r.stdout.trim();
  return m === 'apt-get' ? 'apt' : m === 'dnf' || m === 'yum' ? m : undefined;
}

async function planRpm(ctx: ModuleContext<unknown>, tool: 'dnf' | 'yum', a: PackageArgs & { enablerepo?: unknown; disablerepo?: unknown; disable_gpg_check?: boolean }, module: string): Promise<Operation> {
  const pkgs = packageList(a.name ?? a.pkg);
  let state = a.state ?? 'present';
  if (state === 'installed') state = 'present';
  if (state === 'removed') state = 'absent';
  const r = await probe(ctx, `command -v rpm >/dev/null 2>&1 || { echo norpm; exit 0; }; for p in ${pkgs.map(shellQuote).join(' ')}; do if rpm -q --whatprovides "$p" >/dev/null 2>&1; then echo "have=$p"; fi; done`);
  if (r.stdout.startsWith('norpm')) throw argError(module, ctx, 'this host has no rpm (not an rpm-based host)', 'use apt, or the package module');
  const have = new Set(r.stdout.split('\n').filter((l) => l.startsWith('have=')).map((l) => l.slice(5)));
  const extra = [
    ...packageList(a.enablerepo).map((x) => `--enablerepo=${x}`),
    ...packageList(a.disablerepo).map((x) => `--disablerepo=${x}`),
    ...(a.disable_gpg_check ? ['--nogpgcheck'] : []),
  ];
  const steps: Step[] = [];
  if (a.update_cache) steps.push({ kind: 'exec', cmd: `${tool} -y makecache`, description: 'update the package metadata' });
  const missing = pkgs.filter((p) => !have.has(p));
  const present = pkgs.filter((p) => have.has(p));
  if (state === 'absent' && present.length) steps.push({ kind: 'exec', cmd: shellJoin([tool, '-y', ...extra, 'remove', ...present]), description: `remove ${present.join(', ')}`, destructive: `removes package(s) ${present.join(', ')}` });
  if (state !== 'absent' && missing.length) steps.push({ kind: 'exec', cmd: shellJoin([tool, '-y', ...extra, 'install', ...missing]), description: `install ${missing.join(', ')}` });
  if (state === 'latest' && present.length) steps.push({ kind: 'exec', cmd: shellJoin([tool, '-y', ...extra, 'upgrade', ...present]), description: `upgrade ${present.join(', ')}` });
  const work = steps.filter((s) => s.kind === 'exec' && !s.cmd.endsWith('makecache'));
  if (!ctx.check && steps.length)
    return {
      changed: false,
      steps: [],
      result: { changed: false, failed: true, msg: `${module}: running ${tool} is not supported yet (no rpm host to prove it on); \`lifeboat plan\` shows what it would run: ${steps.map((s) => (s.kind === 'exec' ? s.cmd : '')).join('; ')}` },
    };
  return { changed: state === 'latest' && present.length && !missing.length ? 'unknown' : work.length > 0, steps, result: {} };
}

async function dispatch(ctx: ModuleContext<PackageArgs>, module: string, forced?: 'apt' | 'dnf' | 'yum'): Promise<Operation> {
  const a = ctx.args;
  const use = forced ?? (a.use && a.use !== 'auto' ? (a.use === 'dnf5' ? 'dnf' : a.use) : await manager(ctx));
  if (use === 'apt')
    return planApt(
      ctx,
      {
        ...(a.name !== undefined ? { name: a.name } : {}),
        ...(a.state ? { state: a.state } : {}),
        ...(a.update_cache !== undefined ? { update_cache: a.update_cache } : {}),
        ...(a.cache_valid_time !== undefined ? { cache_valid_time: a.cache_valid_time } : {}),
      },
      module,
    );
  if (use === 'dnf' || use === 'yum') return planRpm(ctx, use, a, module);
  throw argError(module, ctx, 'no supported package manager on this host (apt-get, dnf, yum)');
}

export const packageModule: ModuleDef<PackageArgs> = {
  name: 'package',
  summary: "Install or remove packages with the host's manager (apt; dnf/yum planned only)",
  schema: packageSchema,
  plan: (ctx) => dispatch(ctx, 'package'),
};

for (const tool of ['dnf', 'yum'] as const) {
  registerModule<PackageArgs>({
    name: tool,
    summary: `rpm packages with ${tool} (planned; a real run is refused until proven on an rpm host)`,
    schema: rpmSchema,
    plan: (ctx) => planRpm(ctx, tool, ctx.args, tool),
  });
}

registerModule(packageModule);
