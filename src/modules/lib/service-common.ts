import { shellJoin, shellQuote } from '../../connection/quote.js';
import { argError, parseKeyValues, probe } from '../common.js';
import { plannedRunning } from './service-planned.js';
import type { ModuleContext, ModuleResult, Operation, Step } from '../types.js';

/**
 * What service and systemd share: one probe finds the service manager (systemd when /run/systemd/system exists,
 * as Ansible decides, else SysV init scripts through `service`) and the unit's state; then only the actions
 * that change something become steps, so `started` on a running service is no change.
 */
export type ServiceState = 'started' | 'stopped' | 'restarted' | 'reloaded';

export interface ServiceSpec {
  module: string;
  name: string;
  state?: ServiceState;
  enabled?: boolean;
  masked?: boolean;
  daemonReload?: boolean;
  noBlock?: boolean;
  /** Seconds between stop and start for restarted (SysV). */
  sleep?: number;
  /** Extra arguments for the init script (SysV). */
  arguments?: string;
  /** Force a backend instead of detecting it. */
  use?: 'systemd' | 'sysv';
}

export interface ServiceFacts {
  manager: 'systemd' | 'sysv';
  found: boolean;
  running: boolean;
  enabled?: boolean;
  masked?: boolean;
  status: Record<string, string>;
}

export function probeCommand(name: string, use?: 'systemd' | 'sysv'): string {
  const unit = shellQuote(name);
  const base = shellQuote(name.replace(/\.service$/, ''));
  const systemd = `echo mgr=systemd; systemctl show ${unit} -p LoadState -p ActiveState -p SubState -p UnitFileState -p MainPID 2>/dev/null; true`;
  const sysv = [
    'echo mgr=sysv',
    `if [ -x /etc/init.d/${base} ]; then echo script=1; fi`,
    `if command -v service >/dev/null 2>&1; then service ${base} status >/dev/null 2>&1; else /etc/init.d/${base} status >/dev/null 2>&1; fi; echo status_rc=$?`,
    `for l in /etc/rc2.d/S??${base} /etc/rc3.d/S??${base} /etc/rc5.d/S??${base}; do if [ -e "$l" ]; then echo enabled=1; break; fi; done`,
    'true',
  ].join('; ');
  if (use === 'systemd') return systemd;
  if (use === 'sysv') return sysv;
  return `if [ -d /run/systemd/system ]; then ${systemd}; else ${sysv}; fi`;
}

export function parseFacts(stdout: string): ServiceFacts {
  const kv = parseKeyValues(stdout);
  const status = Object.fromEntries([...kv].filter(([k]) => /^[A-Z]/.test(k)));
  if (kv.get('mgr') === 'systemd') {
    const load = kv.get('LoadState') ?? 'not-found';
    const ufs = kv.get('UnitFileState') ?? '';
    return {
      manager: 'systemd',
      found: load !== 'not-found' || kv.get('ActiveState') === 'active',
      running: ['active', 'activating', 'reloading'].includes(kv.get('ActiveState') ?? ''),
      enabled: ['enabled', 'enabled-runtime', 'alias', 'static', 'indirect', 'generated'].includes(ufs),
      masked: load === 'masked' || ufs === 'masked',
      status,
    };
  }
  const rc = Number(kv.get('status_rc') ?? '4');
  return {
    manager: 'sysv',
    found: kv.get('script') === '1',
    running: rc === 0,
    enabled: kv.get('enabled') === '1',
    status: { status_rc: String(rc) },
  };
}

function systemctl(s: ServiceSpec, verb: string): string {
  return shellJoin(['systemctl', ...(s.noBlock ? ['--no-block'] : []), verb, s.name]);
}

function sysv(s: ServiceSpec, verb: string): string {
  const base = s.name.replace(/\.service$/, '');
  const extra = s.arguments ? ` ${s.arguments}` : '';
  return `if command -v service >/dev/null 2>&1; then service ${shellQuote(base)} ${verb}${extra}; else /etc/init.d/${shellQuote(base)} ${verb}${extra}; fi`;
}

export async function planService(ctx: ModuleContext<unknown>, s: ServiceSpec): Promise<Operation> {
  if (s.state === undefined && s.enabled === undefined && s.masked === undefined && !s.daemonReload) {
    throw argError(
      s.module,
      ctx,
      `give at least one of state, enabled${s.module === 'systemd' ? ', masked, daemon_reload' : ''}`,
    );
  }
  const pre: Step[] = [];
  const steps: Step[] = [];
  const r = await probe(ctx, probeCommand(s.name, s.use));
  const f = parseFacts(r.stdout);
  if (s.daemonReload) {
    if (f.manager !== 'systemd')
      throw argError(s.module, ctx, 'daemon_reload needs systemd, and this host does not run it');
    pre.push({ kind: 'exec', cmd: 'systemctl daemon-reload', description: 'systemd daemon-reload' });
  }
  const base: Partial<ModuleResult> = { name: s.name, manager: f.manager, status: f.status };
  const notes: string[] = [];
  const after = ctx.check ? plannedRunning(ctx.earlierSteps, s.name) : undefined;
  if (after !== undefined && f.found && after !== f.running) {
    notes.push(
      `${s.name} is ${f.running ? 'running' : 'stopped'} now; an earlier task of this plan ${after ? 'starts' : 'stops'} it`,
    );
    f.running = after;
  }
  let pending: string | undefined;
  if (!f.found && (s.state !== undefined || s.enabled !== undefined) && ctx.check) {
    // Plan: an earlier task may install it; plan as for an installed, stopped, disabled service.
    pending = `service ${s.name} is not installed yet; the run fails unless an earlier task installs it`;
    f.found = true;
    f.running = false;
    f.enabled = false;
  }
  if (!f.found && (s.state !== undefined || s.enabled !== undefined)) {
    return {
      changed: false,
      steps: pre,
      result: { changed: false, failed: true, msg: `Could not find the requested service ${s.name}: host`, ...base },
    };
  }
  const sys = f.manager === 'systemd';
  if (s.masked !== undefined && sys && s.masked !== f.masked) {
    steps.push({
      kind: 'exec',
      cmd: systemctl(s, s.masked ? 'mask' : 'unmask'),
      description: `${s.masked ? 'mask' : 'unmask'} ${s.name}`,
    });
  } else if (s.masked !== undefined && !sys) {
    throw argError(s.module, ctx, 'masked needs systemd, and this host does not run it');
  }
  if (s.enabled !== undefined && s.enabled !== f.enabled) {
    const base = shellQuote(s.name.replace(/\.service$/, ''));
    const cmd = sys
      ? systemctl(s, s.enabled ? 'enable' : 'disable')
      : s.enabled
        ? `if command -v update-rc.d >/dev/null 2>&1; then update-rc.d ${base} defaults && update-rc.d ${base} enable; else chkconfig ${base} on; fi`
        : `if command -v update-rc.d >/dev/null 2>&1; then update-rc.d ${base} disable; else chkconfig ${base} off; fi`;
    steps.push({ kind: 'exec', cmd, description: `${s.enabled ? 'enable' : 'disable'} ${s.name}` });
  }
  const act = (verb: string, destructive?: string): Step => ({
    kind: 'exec',
    cmd: sys ? systemctl(s, verb) : sysv(s, verb),
    description: `${verb} ${s.name}`,
    ...(destructive ? { destructive } : {}),
  });
  switch (s.state) {
    case 'started':
      if (!f.running) steps.push(act('start'));
      break;
    case 'stopped':
      if (f.running) steps.push(act('stop', `stops ${s.name}`));
      break;
    case 'restarted':
      if (!sys && s.sleep) {
        steps.push(act('stop', `stops ${s.name}`));
        steps.push({ kind: 'exec', cmd: `sleep ${Number(s.sleep)}`, description: `wait ${s.sleep}s` });
        steps.push(act('start'));
      } else steps.push(act('restart', `restarts ${s.name}`));
      break;
    case 'reloaded':
      steps.push(act(f.running || !sys ? 'reload' : 'start'));
      break;
  }
  const changed = steps.length > 0;
  const enabled = s.enabled ?? f.enabled;
  const state = s.state ?? (f.running ? 'started' : 'stopped');
  return {
    changed: pending ? 'unknown' : changed,
    ...(pending || notes.length ? { notes: [...notes, ...(pending ? [pending] : [])] } : {}),
    steps: [...pre, ...steps],
    result: {
      ...base,
      state: state === 'restarted' || state === 'reloaded' ? 'started' : state,
      ...(enabled !== undefined ? { enabled } : {}),
    },
  };
}
