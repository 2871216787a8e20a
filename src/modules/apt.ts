import { shellJoin, shellQuote } from '../connection/quote.js';
import { fnmatch } from '../glob.js';
import { aptChanged, planSystemWork, UPGRADE_VALUES, upgradeMode } from './apt-upgrade.js';
import { argError, probe } from './common.js';

export { aptChanged };
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, ModuleResult, Operation, Step, StepOutcome } from './types.js';

/**
 * apt — Debian packages: `name` (list, or comma-separated; `pkg=1.2*` pins a version) present / absent / latest,
 * `deb` (a .deb file on the host, its dependencies from the repositories), `update_cache` (with
 * `cache_valid_time`), `autoremove`, `purge`, `install_recommends`. One probe (dpkg-query, and apt-cache policy
 * for latest) decides what to install or remove; nothing to do is no step. apt-get runs non-interactively and
 * keeps changed configuration files (confdef/confold). The run's change is what apt-get reports
 * ("N upgraded, M newly installed, K to remove").
 *
 * Returns: cache_updated, cache_update_time, stdout, stderr (of apt-get), changed.
 */
export interface AptArgs {
  name?: string | string[];
  pkg?: string | string[];
  package?: string | string[];
  state?: 'present' | 'installed' | 'absent' | 'removed' | 'latest';
  update_cache?: boolean;
  cache_valid_time?: number;
  deb?: string;
  purge?: boolean;
  autoremove?: boolean;
  install_recommends?: boolean;
  force?: boolean;
  allow_unauthenticated?: boolean;
  allow_downgrade?: boolean;
  default_release?: string;
  dpkg_options?: string;
  upgrade?: string | boolean;
  autoclean?: boolean;
  only_upgrade?: boolean;
  lock_timeout?: number;
  update_cache_retries?: number;
  update_cache_retry_max_delay?: number;
  policy_rc_d?: number;
}

const names = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string', minLength: 1 } }] };

export const aptSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: names,
    pkg: names,
    package: names,
    state: { type: 'string', enum: ['present', 'installed', 'absent', 'removed', 'latest'] },
    update_cache: { type: 'boolean' },
    cache_valid_time: { type: 'integer', minimum: 0 },
    deb: { type: 'string', minLength: 1 },
    purge: { type: 'boolean' },
    autoremove: { type: 'boolean' },
    install_recommends: { type: 'boolean' },
    force: { type: 'boolean' },
    allow_unauthenticated: { type: 'boolean' },
    allow_downgrade: { type: 'boolean' },
    default_release: { type: 'string', minLength: 1 },
    dpkg_options: { type: 'string', minLength: 1 },
    upgrade: { enum: [...UPGRADE_VALUES] },
    autoclean: { type: 'boolean' },
    only_upgrade: { type: 'boolean' },
    lock_timeout: { type: 'integer', minimum: 0 },
    update_cache_retries: { type: 'integer', minimum: 0 },
    update_cache_retry_max_delay: { type: 'integer', minimum: 0 },
    policy_rc_d: { type: 'integer' },
  },
};

export function packageList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return list.map((s) => s.trim()).filter(Boolean);
}

/** `pkg=1.2*` → name and version pattern (fnmatch: `*`, `?`, `[seq]`). */
function splitVersion(spec: string): { name: string; version?: string } {
  const i = spec.indexOf('=');
  return i < 0 ? { name: spec } : { name: spec.slice(0, i), version: spec.slice(i + 1) };
}

interface PkgFacts {
  installed: Map<string, string>;
  candidate: Map<string, string>;
  cacheAge?: number;
}

async function probeApt(ctx: ModuleContext<unknown>, pkgs: string[], policy: boolean, deb?: string): Promise<PkgFacts & { deb?: { name: string; version: string } }> {
  const q = pkgs.map(shellQuote).join(' ');
  const parts = [
    'command -v apt-get >/dev/null 2>&1 || { echo noapt; exit 0; }',
    `echo "age=$(( $(date +%s) - $(stat -c %Y /var/lib/apt/periodic/update-success-stamp /var/lib/apt/lists 2>/dev/null | sort -n | tail -n1) ))"`,
  ];
  if (pkgs.length) parts.push(`dpkg-query -W -f='pkg=\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' -- ${q} 2>/dev/null; true`);
  if (policy && pkgs.length) parts.push(`LC_ALL=C apt-cache policy -- ${q} 2>/dev/null; true`);
  if (deb)
    parts.push(
      `dpkg-deb -f ${shellQuote(deb)} Package Version | sed 's/^/deb_/' || echo deb_missing=1`,
      `n=$(dpkg-deb -f ${shellQuote(deb)} Package 2>/dev/null) && dpkg-query -W -f='pkg=\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' -- "$n" 2>/dev/null; true`,
    );
  const r = await probe(ctx, parts.join('; '));
  if (r.stdout.startsWith('noapt')) throw argError('apt', ctx, 'this host has no apt-get (not a Debian-family host)', 'use the package module, which picks the host\'s manager');
  const installed = new Map<string, string>();
  const candidate = new Map<string, string>();
  let current: string | undefined;
  let debInfo: { name: string; version: string } | undefined;
  let cacheAge: number | undefined;
  for (const line of r.stdout.split('\n')) {
    const pkg = /^pkg=([^\t]+)\t(\S*)\s*\t(.*)$/.exec(line);
    if (pkg) {
      if ((pkg[2] ?? '').startsWith('ii') || (pkg[2] ?? '').startsWith('hi')) installed.set(pkg[1] as string, pkg[3] as string);
      continue;
    }
    const age = /^age=(-?\d+)$/.exec(line);
    const head = /^(\S+):$/.exec(line);
    const cand = /^\s+Candidate: (\S+)$/.exec(line);
    const dp = /^deb_Package: (\S+)$/.exec(line);
    const dv = /^deb_Version: (\S+)$/.exec(line);
    if (age) cacheAge = Number(age[1]);
    else if (head) current = head[1];
    else if (cand && current) candidate.set(current, cand[1] as string);
    else if (dp) debInfo = { name: dp[1] as string, version: '' };
    else if (dv && debInfo) debInfo.version = dv[1] as string;
  }
  if (deb && (!debInfo || r.stdout.includes('deb_missing=1'))) throw argError('apt', ctx, `cannot read the package file ${deb} on the host`);
  return { installed, candidate, ...(cacheAge !== undefined ? { cacheAge } : {}), ...(debInfo ? { deb: debInfo } : {}) };
}

export async function planApt(ctx: ModuleContext<unknown>, a: AptArgs, module = 'apt'): Promise<Operation> {
  const specs = packageList(a.name ?? a.pkg ?? a.package);
  let state = a.state ?? 'present';
  if (state === 'installed') state = 'present';
  if (state === 'removed') state = 'absent';
  if (a.deb && /^[a-z]+:\/\//.test(a.deb)) throw argError(module, ctx, 'deb: a URL is not supported', 'download it first with get_url, then give the path on the host');
  if (a.deb && specs.length) throw argError(module, ctx, 'give name or deb, not both');
  const parsed = specs.map(splitVersion);
  const f = await probeApt(ctx, parsed.map((p) => p.name), state === 'latest', a.deb);
  const env = { DEBIAN_FRONTEND: 'noninteractive', DEBCONF_NONINTERACTIVE_SEEN: 'true' };
  const dpkg = (a.dpkg_options ?? 'force-confdef,force-confold').split(',').flatMap((o) => ['-o', `Dpkg::Options::=--${o.trim()}`]);
  const common = ['-y', ...dpkg, ...(a.default_release ? ['-t', a.default_release] : []), ...(a.allow_unauthenticated || a.force ? ['--allow-unauthenticated'] : []), ...(a.allow_downgrade || a.force ? ['--allow-downgrades'] : [])];
  const steps: Step[] = [];
  const stale = a.update_cache && (a.cache_valid_time === undefined || f.cacheAge === undefined || f.cacheAge > a.cache_valid_time);
  if (stale) steps.push({ kind: 'exec', cmd: 'apt-get update', env, description: 'update the package lists' });
  const work: Step[] = [];
  if (a.deb && f.deb) {
    const have = f.installed.get(f.deb.name);
    if (have !== f.deb.version)
      work.push({ kind: 'exec', cmd: shellJoin(['apt-get', 'install', ...common, '--', a.deb]), env, description: `install ${f.deb.name} ${f.deb.version} from ${a.deb}` });
  } else if (state === 'absent') {
    const rm = parsed.filter((p) => f.installed.has(p.name)).map((p) => p.name);
    if (rm.length) work.push({ kind: 'exec', cmd: shellJoin(['apt-get', a.purge ? 'purge' : 'remove', ...common, ...(a.autoremove ? ['--autoremove'] : []), '--', ...rm]), env, description: `remove ${rm.join(', ')}`, destructive: `removes package(s) ${rm.join(', ')}` });
  } else {
    const want = parsed.filter((p) => {
      const have = f.installed.get(p.name);
      if (have === undefined) return !a.only_upgrade;
      if (p.version !== undefined) return !fnmatch(have, p.version);
      if (state === 'latest') {
        const c = f.candidate.get(p.name);
        return c !== undefined && c !== '(none)' && c !== have;
      }
      return false;
    });
    if (want.length) {
      const rec = a.install_recommends === undefined ? [] : [a.install_recommends ? '--install-recommends' : '--no-install-recommends'];
      const words = want.map((p) => (p.version !== undefined ? `${p.name}=${p.version}` : p.name));
      work.push({ kind: 'exec', cmd: shellJoin(['apt-get', 'install', ...common, ...rec, ...(a.only_upgrade ? ['--only-upgrade'] : []), '--', ...words]), env, description: `install ${words.join(', ')}` });
    }
  }
  if (a.autoremove && state !== 'absent') work.push({ kind: 'exec', cmd: shellJoin(['apt-get', 'autoremove', ...common]), env, description: 'remove packages no longer needed' });
  const system = await planSystemWork(ctx, a, common, env, stale === true);
  work.push(...system.steps);
  const wide = upgradeMode(a.upgrade) !== undefined || a.autoclean === true;
  if (!a.deb && !specs.length && !a.autoremove && !a.update_cache && !wide && state !== 'absent')
    throw argError(module, ctx, 'give name, deb, update_cache, upgrade, autoclean or autoremove');
  // update_cache alone is a change (as Ansible); with packages only what apt-get did counts
  const onlyUpdate = !a.deb && !specs.length && !a.autoremove && !wide;
  const all = [...steps, ...work];
  const unsure = system.unsure || (a.autoremove === true && work.length === 1);
  return {
    changed: work.length > 0 ? (unsure ? 'unknown' : true) : onlyUpdate && stale === true,
    steps: all,
    result: { cache_updated: false },
    finish: (outcomes: StepOutcome[]): ModuleResult => {
      const failed = outcomes.find((o) => o.error !== undefined);
      const out = outcomes.map((o) => o.exec?.stdout ?? '').join('');
      const updated = stale === true && outcomes[0]?.error === undefined && outcomes.length > 0;
      const changed = onlyUpdate ? updated : outcomes.slice(stale ? 1 : 0).some((o) => aptChanged(o.exec?.stdout ?? ''));
      const r: ModuleResult = { changed, cache_updated: updated, ...(updated ? { cache_update_time: Math.floor(Date.now() / 1000) } : {}), stdout: out, stderr: outcomes.map((o) => o.exec?.stderr ?? '').join('') };
      if (failed) Object.assign(r, { failed: true, rc: failed.exec?.rc, msg: `${failed.error}: ${(failed.exec?.stderr || failed.exec?.stdout || '').trim().split('\n').slice(-3).join('\n')}` });
      return r;
    },
  };
}

export const aptModule: ModuleDef<AptArgs> = {
  name: 'apt',
  summary: 'Install, upgrade or remove Debian packages (apt-get)',
  schema: aptSchema,
  plan: (ctx) => planApt(ctx, ctx.args),
};

registerModule(aptModule);
