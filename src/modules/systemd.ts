import { argError } from './common.js';
import { registerModule } from './registry.js';
import { planService, type ServiceState } from './lib/service-common.js';
import type { ModuleDef } from './types.js';

/**
 * systemd (also `systemd_service`) — as service, plus daemon_reload, masked and no_block. On a host without
 * systemd it falls back to the init scripts for state/enabled (daemon_reload and masked then fail clearly).
 *
 * Returns: name, state, enabled, manager, status (LoadState, ActiveState, SubState, UnitFileState, MainPID).
 */
export interface SystemdArgs {
  name?: string;
  unit?: string;
  service?: string;
  state?: ServiceState;
  enabled?: boolean;
  masked?: boolean;
  daemon_reload?: boolean;
  'daemon-reload'?: boolean;
  no_block?: boolean;
  scope?: 'system';
}

export const systemdSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    unit: { type: 'string', minLength: 1 },
    service: { type: 'string', minLength: 1 },
    state: { type: 'string', enum: ['started', 'stopped', 'restarted', 'reloaded'] },
    enabled: { type: 'boolean' },
    masked: { type: 'boolean' },
    daemon_reload: { type: 'boolean' },
    'daemon-reload': { type: 'boolean' },
    no_block: { type: 'boolean' },
    scope: { type: 'string', enum: ['system'] },
  },
};

export const systemdModule: ModuleDef<SystemdArgs> = {
  name: 'systemd',
  summary: 'Manage a systemd unit (state, enabled, masked, daemon_reload); init scripts where systemd is absent',
  schema: systemdSchema,
  plan(ctx) {
    const a = ctx.args;
    const name = a.name ?? a.unit ?? a.service;
    const reload = a.daemon_reload ?? a['daemon-reload'] ?? false;
    if (!name && !reload) throw argError('systemd', ctx, 'name is required (unless only daemon_reload is asked)');
    if (!name) {
      return Promise.resolve({
        changed: false,
        steps: [{ kind: 'exec', cmd: 'systemctl daemon-reload', description: 'systemd daemon-reload' }],
        result: { name: '' },
      });
    }
    return planService(ctx, {
      module: 'systemd',
      name,
      ...(a.state ? { state: a.state } : {}),
      ...(a.enabled !== undefined ? { enabled: a.enabled } : {}),
      ...(a.masked !== undefined ? { masked: a.masked } : {}),
      ...(reload ? { daemonReload: true } : {}),
      ...(a.no_block ? { noBlock: true } : {}),
    });
  },
};

registerModule(systemdModule);
registerModule({ ...systemdModule, name: 'systemd_service' });
