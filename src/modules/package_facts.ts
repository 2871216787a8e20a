import { probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * package_facts — the installed packages as `ansible_facts.packages[name] = [{name, version, arch, source}]`, from
 * dpkg-query (apt) or rpm. `manager: auto` (default) uses whichever the host has. Read-only, one probe.
 *
 * Returns: ansible_facts.packages.
 */
export interface PackageFactsArgs {
  manager?: string | string[];
  strategy?: 'first' | 'all';
}

export const packageFactsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    manager: { anyOf: [{ type: 'string', enum: ['auto', 'apt', 'rpm'] }, { type: 'array', items: { type: 'string', enum: ['auto', 'apt', 'rpm'] } }] },
    strategy: { type: 'string', enum: ['first', 'all'] },
  },
};

const field = (f: string) => `\${${f}}`;
const DPKG = `dpkg-query -W -f='apt\\t${field('Package')}\\t${field('Version')}\\t${field('Architecture')}\\t${field('db:Status-Abbrev')}\\n' 2>/dev/null`;
const RPM = "rpm -qa --qf 'rpm\\t%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\tii\\n' 2>/dev/null";

export const packageFactsModule: ModuleDef<PackageFactsArgs> = {
  name: 'package_facts',
  summary: 'The installed packages as facts (dpkg or rpm; read-only)',
  schema: packageFactsSchema,
  async plan(ctx): Promise<Operation> {
    const m = ctx.args.manager;
    const want = new Set(Array.isArray(m) ? m : [m ?? 'auto']);
    const auto = want.has('auto');
    const all = ctx.args.strategy === 'all';
    const parts: string[] = [];
    if (auto || want.has('apt')) parts.push(`if command -v dpkg-query >/dev/null 2>&1; then ${DPKG}; ${all ? '' : 'exit 0; '}fi`);
    if (auto || want.has('rpm')) parts.push(`if command -v rpm >/dev/null 2>&1; then ${RPM}; fi`);
    const r = await probe(ctx, `${parts.join('; ')}; true`);
    const packages: Record<string, Array<{ name: string; version: string; arch: string; source: string }>> = {};
    for (const line of r.stdout.split('\n')) {
      const [source, name, version, arch, status] = line.split('\t');
      if (!name || !version || !(status ?? '').startsWith('i')) continue;
      const list = packages[name] ?? [];
      list.push({ name, version, arch: arch ?? '', source: source ?? '' });
      packages[name] = list;
    }
    if (Object.keys(packages).length === 0)
      return { changed: false, steps: [], result: { changed: false, failed: true, msg: 'Could not detect a supported package manager (dpkg-query, rpm)' } };
    return { changed: false, steps: [], result: { changed: false, ansible_facts: { packages } } };
  },
};

registerModule(packageFactsModule);
