import { shellQuote } from '../connection/quote.js';
import { parseKeyValues, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * modprobe (community.general) — a kernel module loaded (`modprobe NAME PARAMS`) or not (`modprobe -r`), and with
 * `persistent` loaded at boot (/etc/modules-load.d/NAME.conf, params in /etc/modprobe.d/NAME.conf) or not. One
 * probe: /proc/modules (`-` and `_` are the same), the kernel's built-in list, the two files. A built-in module
 * counts as loaded.
 *
 * Returns: name, params, state.
 */
export interface ModprobeArgs {
  name: string;
  state?: 'present' | 'absent';
  params?: string;
  persistent?: 'disabled' | 'present' | 'absent';
}

export const modprobeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_-]+$' },
    state: { type: 'string', enum: ['present', 'absent'] },
    params: { type: 'string' },
    persistent: { type: 'string', enum: ['disabled', 'present', 'absent'] },
  },
};

export const modprobeModule: ModuleDef<ModprobeArgs> = {
  name: 'modprobe',
  summary: 'Load or unload a kernel module (and at boot)',
  schema: modprobeSchema,
  async plan(ctx): Promise<Operation> {
    const { name, params = '' } = ctx.args;
    const state = ctx.args.state ?? 'present';
    const persistent = ctx.args.persistent ?? 'disabled';
    const u = name.replace(/-/g, '_');
    const load = `/etc/modules-load.d/${name}.conf`;
    const opts = `/etc/modprobe.d/${name}.conf`;
    const r = await probe(
      ctx,
      [
        `if tr - _ < /proc/modules | grep -q ${shellQuote(`^${u} `)}; then echo loaded=1; fi`,
        `if [ -f /lib/modules/$(uname -r)/modules.builtin ] && tr - _ < /lib/modules/$(uname -r)/modules.builtin | grep -q ${shellQuote(`/${u}.ko`)}; then echo builtin=1; fi`,
        `if [ -f ${load} ]; then echo "load=$(tr '\\n' ' ' < ${load})"; fi`,
        `if [ -f ${opts} ]; then echo "opts=$(tr '\\n' ' ' < ${opts})"; fi`,
      ].join('; '),
    );
    const kv = parseKeyValues(r.stdout);
    const loaded = kv.get('loaded') === '1' || kv.get('builtin') === '1';
    const steps: Step[] = [];
    if (state === 'present' && !loaded)
      steps.push({ kind: 'exec', cmd: `modprobe ${shellQuote(name)}${params ? ` ${params}` : ''}`, description: `load kernel module ${name}` });
    if (state === 'absent' && loaded) {
      if (kv.get('builtin') === '1')
        return { changed: false, steps: [], result: { changed: false, failed: true, msg: `${name} is built into the kernel and cannot be unloaded`, name } };
      steps.push({ kind: 'exec', cmd: `modprobe -r ${shellQuote(name)}`, description: `unload kernel module ${name}`, destructive: `unloads ${name}` });
    }
    const wantLoad = `${name}\n`;
    const wantOpts = params ? `options ${name} ${params}\n` : '';
    if (persistent === 'present') {
      if ((kv.get('load') ?? '').trim() !== name) steps.push({ kind: 'put', dest: load, content: wantLoad, mode: 0o644, description: `load ${name} at boot (${load})` });
      if (params && (kv.get('opts') ?? '').trim() !== wantOpts.trim())
        steps.push({ kind: 'put', dest: opts, content: wantOpts, mode: 0o644, description: `options of ${name} (${opts})` });
    }
    const puts = steps.filter((s) => s.kind === 'put');
    if (puts.length)
      steps.splice(steps.indexOf(puts[0] as Step), 0, {
        kind: 'exec',
        cmd: `mkdir -p ${[...new Set(puts.map((s) => (s.kind === 'put' ? s.dest.slice(0, s.dest.lastIndexOf('/')) : '')))].join(' ')}`,
        description: 'make the configuration directories',
      });
    if (persistent === 'absent') {
      const rm = [kv.has('load') ? load : '', kv.has('opts') ? opts : ''].filter(Boolean);
      if (rm.length) steps.push({ kind: 'exec', cmd: `rm -f -- ${rm.map(shellQuote).join(' ')}`, description: `do not load ${name} at boot` });
    }
    return { changed: steps.length > 0, steps, result: { name, params, state } };
  },
};

registerModule(modprobeModule);
