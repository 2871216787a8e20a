import { pick } from './common.js';
import { registerModule } from './registry.js';
import { planService, type ServiceState } from './service-common.js';
import type { ModuleDef } from './types.js';

/**
 * service — start, stop, restart or reload a service, and enable/disable it at boot. Uses systemd when the host
 * runs it (/run/systemd/system exists), else the `service` command / init scripts. The status is probed first,
 * so `started` on a running service is no change.
 *
 * Returns: name, state (started/stopped), enabled, manager (systemd or sysv), status.
 */
export interface ServiceArgs {
  name: string;
  state?: ServiceState;
  enabled?: boolean;
  sleep?: number;
  arguments?: string;
  args?: string;
  use?: 'auto' | 'systemd' | 'sysvinit' | 'service';
  daemon_reload?: boolean;
}

export const serviceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    state: { type: 'string', enum: ['started', 'stopped', 'restarted', 'reloaded'] },
    enabled: { type: 'boolean' },
    sleep: { type: 'integer', minimum: 0 },
    arguments: { type: 'string' },
    args: { type: 'string' },
    use: { type: 'string', enum: ['auto', 'systemd', 'sysvinit', 'service'] },
    daemon_reload: { type: 'boolean', description: 'systemd hosts: systemctl daemon-reload first' },
  },
};

export const serviceModule: ModuleDef<ServiceArgs> = {
  name: 'service',
  summary: 'Manage a service (systemd or SysV init scripts): state and boot enablement',
  schema: serviceSchema,
  plan(ctx) {
    const a = ctx.args;
    const args = pick<string>(a as unknown as Record<string, unknown>, 'arguments', 'args');
    const use = a.use === 'systemd' ? 'systemd' : a.use === 'sysvinit' || a.use === 'service' ? 'sysv' : undefined;
    return planService(ctx, {
      module: 'service',
      name: a.name,
      ...(a.state ? { state: a.state } : {}),
      ...(a.enabled !== undefined ? { enabled: a.enabled } : {}),
      ...(a.sleep !== undefined ? { sleep: a.sleep } : {}),
      ...(args !== undefined ? { arguments: args } : {}),
      ...(use ? { use } : {}),
      ...(a.daemon_reload ? { daemonReload: true } : {}),
    });
  },
};

registerModule(serviceModule);
