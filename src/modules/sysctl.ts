import { shellQuote } from '../connection/quote.js';
import { argError, parseKeyValues, probe } from './common.js';
import { readLines } from './lineinfile-edit.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * sysctl (ansible.posix) — a kernel parameter's line in `sysctl_file` (default /etc/sysctl.conf: `name=value`,
 * duplicates removed), and with `sysctl_set` its running value (`sysctl -w`). When the file changed and `reload`
 * (default true), `sysctl -p FILE` applies it. One probe reads the file and the running value. Values compare
 * with whitespace collapsed (`1 2` = `1\t2`), as Ansible.
 *
 * Returns: changed; diff of the file.
 */
export interface SysctlArgs {
  name: string;
  value?: string | number | boolean;
  state?: 'present' | 'absent';
  reload?: boolean;
  sysctl_file?: string;
  sysctl_set?: boolean;
  ignoreerrors?: boolean;
}

export const sysctlSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_./*-]+$' },
    key: { type: 'string' },
    value: { type: ['string', 'number', 'boolean'] },
    val: { type: ['string', 'number', 'boolean'] },
    state: { type: 'string', enum: ['present', 'absent'] },
    reload: { type: 'boolean' },
    sysctl_file: { type: 'string', minLength: 1 },
    sysctl_set: { type: 'boolean' },
    ignoreerrors: { type: 'boolean' },
  },
};

const norm = (v: string) => v.trim().split(/\s+/).join(' ');

function valueText(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v);
  // as Ansible: yes/no/true/false are 1/0
  if (/^(yes|true|on)$/i.test(s)) return '1';
  if (/^(no|false|off)$/i.test(s)) return '0';
  return s;
}

/** The edited sysctl file: the key's first line becomes `name=value`, its other lines go; appended when missing. */
export function editSysctl(text: string, name: string, value: string | undefined): string {
  const key = name.replace(/\//g, '.');
  const out: string[] = [];
  let done = false;
  for (const line of readLines(text)) {
    const t = line.trim();
    const eq = t.indexOf('=');
    if (t.startsWith('#') || t.startsWith(';') || eq < 0 || t.slice(0, eq).trim().replace(/\//g, '.') !== key) {
      out.push(line);
      continue;
    }
    if (value !== undefined && !done) {
      out.push(`${name}=${value}\n`);
      done = true;
    }
  }
  if (value !== undefined && !done) {
    if (out.length && !(out[out.length - 1] as string).endsWith('\n')) out.push('\n');
    out.push(`${name}=${value}\n`);
  }
  return out.join('');
}

export const sysctlModule: ModuleDef<SysctlArgs & { val?: unknown; key?: string }> = {
  name: 'sysctl',
  summary: 'Set a kernel parameter in a sysctl file and (optionally) now',
  schema: sysctlSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const state = a.state ?? 'present';
    const raw = a.value ?? (a.val as SysctlArgs['value']);
    if (state === 'present' && raw === undefined) throw argError('sysctl', ctx, 'value is required with state=present');
    const value = raw === undefined ? undefined : norm(valueText(raw));
    const file = a.sysctl_file ?? '/etc/sysctl.conf';
    const reload = a.reload ?? true;
    const q = shellQuote(file);
    const r = await probe(
      ctx,
      `echo "cur=$(sysctl -e -n ${shellQuote(a.name)} 2>/dev/null | tr '\\t\\n' '  ')"; if [ -r /proc/sys/${a.name.replace(/\./g, '/').replace(/[^A-Za-z0-9_/*-]/g, '')} ]; then echo known=1; fi; echo ---; if [ -f ${q} ]; then cat -- ${q}; fi`,
    );
    const at = r.stdout.indexOf('---\n');
    const kv = parseKeyValues(r.stdout.slice(0, at));
    const before = r.stdout.slice(at + 4);
    const cur = norm(kv.get('cur') ?? '');
    if (kv.get('known') !== '1' && !a.ignoreerrors && state === 'present')
      return { changed: false, steps: [], result: { changed: false, failed: true, msg: `setting ${a.name} failed: no such key in /proc/sys` } };
    const after = editSysctl(before, a.name, state === 'present' ? (value as string) : undefined);
    const steps: Step[] = [];
    const fileChanged = after !== before;
    if (fileChanged) steps.push({ kind: 'put', dest: file, content: after, description: `write ${a.name} to ${file}` });
    const ign = a.ignoreerrors ? ' -e' : '';
    const setNow = state === 'present' && a.sysctl_set === true && cur !== value;
    if (setNow) steps.push({ kind: 'exec', cmd: `sysctl${ign} -w ${shellQuote(`${a.name}=${value}`)}`, description: `set ${a.name}=${value} now (was ${cur})` });
    if (reload && (fileChanged || setNow)) steps.push({ kind: 'exec', cmd: `sysctl${ign} -p ${q}`, description: `apply ${file}` });
    return {
      changed: steps.length > 0,
      steps,
      ...(fileChanged ? { diff: [{ path: file, before, after }] } : {}),
      result: {},
    };
  },
};

registerModule(sysctlModule);
