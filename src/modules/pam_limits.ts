import { argError } from './common.js';
import { directoryFile, editArgsSchema, missingFile, readForEdit, writeEdited } from './edit-file.js';
import { readLines } from './lineinfile-edit.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * pam_limits (community.general) — one `domain type item value` line in /etc/security/limits.conf (or `dest`):
 * an existing line for the same domain, type and item is replaced, else one is appended (tab-separated, as
 * Ansible). `use_max`/`use_min` keep a larger/smaller existing value. The write is lineinfile's (atomic, diff).
 *
 * Returns: msg, changed, backup_file, diff.
 */
export interface PamLimitsArgs {
  domain: string;
  limit_type: 'hard' | 'soft' | '-';
  limit_item: string;
  value: string | number;
  use_max?: boolean;
  use_min?: boolean;
  create?: boolean;
  comment?: string;
  dest?: string;
}

const ITEMS = ['core', 'data', 'fsize', 'memlock', 'nofile', 'rss', 'stack', 'cpu', 'nproc', 'as', 'maxlogins', 'maxsyslogins', 'priority', 'locks', 'sigpending', 'msgqueue', 'nice', 'rtprio', 'chroot'];

export const pamLimitsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'limit_type', 'limit_item', 'value'],
  properties: {
    ...editArgsSchema,
    domain: { type: 'string', minLength: 1, pattern: '^\\S+$' },
    limit_type: { type: 'string', enum: ['hard', 'soft', '-'] },
    limit_item: { type: 'string', enum: ITEMS },
    value: { type: ['string', 'integer'] },
    use_max: { type: 'boolean' },
    use_min: { type: 'boolean' },
    create: { type: 'boolean' },
    comment: { type: 'string' },
  },
};

const num = (v: string) => (/^(unlimited|infinity|-1)$/.test(v) ? Number.POSITIVE_INFINITY : Number(v));

export function editLimits(text: string, a: PamLimitsArgs): string {
  const value = String(a.value);
  const out: string[] = [];
  let found = false;
  for (const line of readLines(text)) {
    const t = line.trim();
    const f = t.split(/\s+/);
    if (t.startsWith('#') || f.length < 4 || f[0] !== a.domain || f[1] !== a.limit_type || f[2] !== a.limit_item) {
      out.push(line);
      continue;
    }
    if (found) continue;
    found = true;
    const cur = f[3] as string;
    let nv = value;
    if (a.use_max && num(cur) > num(value)) nv = cur;
    if (a.use_min && num(cur) < num(value)) nv = cur;
    const comment = a.comment ? ` #${a.comment}` : '';
    out.push(nv === cur && !a.comment ? line : `${a.domain}\t${a.limit_type}\t${a.limit_item}\t${nv}${comment}\n`);
  }
  if (!found) {
    if (out.length && !(out[out.length - 1] as string).endsWith('\n')) out.push('\n');
    out.push(`${a.domain}\t${a.limit_type}\t${a.limit_item}\t${value}${a.comment ? ` #${a.comment}` : ''}\n`);
  }
  return out.join('');
}

export const pamLimitsModule: ModuleDef<PamLimitsArgs> = {
  name: 'pam_limits',
  summary: 'Set a PAM limit (limits.conf line)',
  schema: pamLimitsSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    if (a.use_max && a.use_min) throw argError('pam_limits', ctx, 'use_max and use_min are mutually exclusive');
    const v = String(a.value);
    if (!/^(-?\d+|unlimited|infinity)$/.test(v)) throw argError('pam_limits', ctx, `value ${v} is neither a number nor unlimited/infinity`);
    const withDest = { ...ctx, args: { ...a, path: a.dest ?? '/etc/security/limits.conf' } };
    const f = await readForEdit(withDest, 'pam_limits');
    if (f.stat.exists && f.stat.type === 'directory') return directoryFile(f.path);
    if (!f.stat.exists && a.create === false) return missingFile(ctx, f.path);
    const after = editLimits(f.text, a);
    return writeEdited(withDest, 'pam_limits', f, after, { msg: after === f.text ? '' : `${a.domain}\t${a.limit_type}\t${a.limit_item}\t${v}` });
  },
};

registerModule(pamLimitsModule);
