import { parseKeyValues, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * selinux (ansible.posix) — on a host without SELinux (Debian/Ubuntu as Lifeboat's hosts, no /sys/fs/selinux and
 * no /etc/selinux/config) `state: disabled` is already true: no change, with a message saying so. Any other state
 * there fails with that message. On a host that has SELinux, changing its policy or mode is refused (not proven
 * on a lab host); asking for the state it already has is no change.
 *
 * Returns: msg, state, policy, configfile, reboot_required (false).
 */
export interface SelinuxArgs {
  state: 'enforcing' | 'permissive' | 'disabled';
  policy?: string;
  configfile?: string;
  update_kernel_param?: boolean;
}

export const selinuxSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['state'],
  properties: {
    state: { type: 'string', enum: ['enforcing', 'permissive', 'disabled'] },
    policy: { type: 'string', minLength: 1 },
    configfile: { type: 'string', minLength: 1 },
    conf: { type: 'string', minLength: 1 },
    file: { type: 'string', minLength: 1 },
    update_kernel_param: { type: 'boolean' },
  },
};

export const selinuxModule: ModuleDef<SelinuxArgs> = {
  name: 'selinux',
  summary: 'SELinux mode: no-op on hosts without SELinux; changes refused elsewhere',
  schema: selinuxSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const configfile = a.configfile ?? '/etc/selinux/config';
    const r = await probe(ctx, `if [ -d /sys/fs/selinux ] || [ -f /etc/selinux/config ]; then echo has=1; echo "mode=$(getenforce 2>/dev/null | tr A-Z a-z)"; fi; true`);
    const kv = parseKeyValues(r.stdout);
    const base = { state: a.state, configfile, reboot_required: false, ...(a.policy ? { policy: a.policy } : {}) };
    if (kv.get('has') !== '1') {
      if (a.state === 'disabled') return { changed: false, steps: [], result: { changed: false, msg: 'SELinux is not present on this host (it is disabled): nothing to do', ...base } };
      return { changed: false, steps: [], result: { changed: false, failed: true, msg: `SELinux is not present on this host; cannot make it ${a.state}`, ...base } };
    }
    const mode = kv.get('mode') ?? '';
    if (mode === a.state) return { changed: false, steps: [], result: { changed: false, msg: `SELinux is already ${mode}`, ...base } };
    return { changed: false, steps: [], result: { changed: false, failed: true, msg: `selinux: changing SELinux from ${mode || 'unknown'} to ${a.state} is not supported by Lifeboat yet`, ...base } };
  },
};

registerModule(selinuxModule);
