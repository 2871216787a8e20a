import { shellQuote } from '../connection/quote.js';
import { argError, parseKeyValues, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * hostname — the host's name now (`hostname NAME`) and at boot (/etc/hostname). One probe reads both; only what
 * differs becomes a step. Every Linux strategy Ansible has (systemd, debian, redhat, …) ends in these two places on
 * the hosts Lifeboat targets; hostnamectl is not used (it needs D-Bus), the result is the same files.
 *
 * Returns: name, ansible_facts (ansible_hostname, ansible_nodename, ansible_fqdn, ansible_domain).
 */
export interface HostnameArgs {
  name: string;
  use?: string;
}

const LINUX = ['systemd', 'debian', 'generic', 'redhat', 'sles', 'alpine', 'openrc', 'openbsd', 'freebsd', 'darwin', 'macos', 'solaris'];

export const hostnameSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9.-]*$' },
    use: { type: 'string', enum: LINUX },
  },
};

export const hostnameModule: ModuleDef<HostnameArgs> = {
  name: 'hostname',
  summary: "Set the host's name (now and in /etc/hostname)",
  schema: hostnameSchema,
  async plan(ctx): Promise<Operation> {
    const { name, use } = ctx.args;
    if (use && ['openbsd', 'freebsd', 'darwin', 'macos', 'solaris'].includes(use))
      throw argError('hostname', ctx, `use: ${use} is not supported (Linux hosts only)`);
    const r = await probe(ctx, 'echo "now=$(hostname)"; if [ -f /etc/hostname ]; then echo "file=$(head -n1 /etc/hostname)"; fi');
    const kv = parseKeyValues(r.stdout);
    const now = kv.get('now') ?? '';
    const file = kv.get('file');
    const steps: Step[] = [];
    if (now !== name) steps.push({ kind: 'exec', cmd: `hostname ${shellQuote(name)}`, description: `set the hostname to ${name} (was ${now})` });
    if (file !== name) steps.push({ kind: 'put', dest: '/etc/hostname', content: `${name}\n`, mode: 0o644, description: `write /etc/hostname (${name})` });
    const short = name.split('.')[0] as string;
    const domain = name.includes('.') ? name.slice(short.length + 1) : '';
    return {
      changed: steps.length > 0,
      steps,
      ...(steps.length ? { diff: [{ path: 'hostname', before: `hostname = ${now}\n`, after: `hostname = ${name}\n` }] } : {}),
      result: {
        name,
        ansible_facts: { ansible_hostname: short, ansible_nodename: name, ansible_fqdn: name, ansible_domain: domain },
      },
    };
  },
};

registerModule(hostnameModule);
