import { probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * service_facts — every service of the host with its state, as `ansible_facts.services['NAME.service']`
 * ({name, state: running/stopped/…, status: enabled/disabled/static/…, source: systemd|sysv}). systemd hosts:
 * `systemctl list-units` + `list-unit-files`; others: /etc/init.d scripts and their `status`. Read-only.
 *
 * Returns: ansible_facts.services.
 */
export const serviceFactsSchema = { type: 'object', additionalProperties: false, properties: {} };

const SYSTEMD = `echo mgr=systemd; systemctl list-units --type=service --all --no-legend --no-pager --plain 2>/dev/null | awk '{print "unit", $1, $3, $4}'; systemctl list-unit-files --type=service --no-legend --no-pager 2>/dev/null | awk '{print "file", $1, $2}'`;
const SYSV = `echo mgr=sysv; for s in /etc/init.d/*; do [ -x "$s" ] || continue; n=\${s##*/}; case $n in README|rc|rcS|skeleton|*.sh) continue;; esac; "$s" status >/dev/null 2>&1; echo "sysv $n $?"; done`;

export const serviceFactsModule: ModuleDef<Record<string, never>> = {
  name: 'service_facts',
  summary: "The host's services and their states, as facts (read-only)",
  schema: serviceFactsSchema,
  async plan(ctx): Promise<Operation> {
    const r = await probe(ctx, `if [ -d /run/systemd/system ]; then ${SYSTEMD}; else ${SYSV}; fi; true`);
    const services: Record<string, { name: string; state: string; status: string; source: string }> = {};
    for (const line of r.stdout.split('\n')) {
      const [kind, name, a, b] = line.trim().split(/\s+/);
      if (!name) continue;
      if (kind === 'unit') {
        const sub = b ?? '';
        const state = sub === 'running' ? 'running' : sub === 'dead' || sub === 'exited' ? 'stopped' : a === 'failed' ? 'failed' : sub || 'unknown';
        services[name] = { name, state, status: services[name]?.status ?? 'unknown', source: 'systemd' };
      } else if (kind === 'file') {
        const s = services[name];
        if (s) s.status = a ?? 'unknown';
        else services[name] = { name, state: 'stopped', status: a ?? 'unknown', source: 'systemd' };
      } else if (kind === 'sysv') {
        services[name] = { name, state: a === '0' ? 'running' : 'stopped', status: 'unknown', source: 'sysv' };
      }
    }
    return { changed: false, steps: [], result: { changed: false, ansible_facts: { services } } };
  },
};

registerModule(serviceFactsModule);
