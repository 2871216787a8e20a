/**
 * The SELinux arguments of file, copy and template: `seuser`, `serole`, `setype`, `selevel`. As Ansible: on a
 * host where SELinux is not enabled they do nothing; where it is, the path's context (`stat -c %C`) is compared
 * part by part and `chcon` sets the parts that differ. Planned from the facts like every other step.
 */
import { shellQuote } from '../../connection/quote.js';
import { probe } from '../common.js';
import type { ModuleContext, Operation } from '../types.js';

export interface SelinuxArgs {
  seuser?: string;
  serole?: string;
  setype?: string;
  selevel?: string;
}

export const selinuxSchema = {
  seuser: { type: 'string', minLength: 1 },
  serole: { type: 'string', minLength: 1 },
  setype: { type: 'string', minLength: 1 },
  selevel: { type: 'string', minLength: 1 },
} as const;

const PARTS = [
  ['seuser', '-u'],
  ['serole', '-r'],
  ['setype', '-t'],
  ['selevel', '-l'],
] as const;

/** The chcon options for the parts asked for that differ from `current` (user:role:type:level; absent: all). */
export function chconOptions(a: SelinuxArgs, current: string | undefined): string[] {
  const have = current?.split(':') ?? [];
  const out: string[] = [];
  PARTS.forEach(([key, flag], i) => {
    const want = a[key];
    // the level is everything after the third colon (s0:c1,c2 holds colons of its own)
    const now = i === 3 ? have.slice(3).join(':') : have[i];
    if (want !== undefined && want !== '_default' && want !== now) out.push(flag, want);
  });
  return out;
}

const asked = (a: SelinuxArgs): boolean => PARTS.some(([k]) => a[k] !== undefined);

/**
 * The operation with the SELinux context steps added after its own (the path may only exist once they ran).
 * A host without SELinux enabled: unchanged. Wrote the file, or its context differs: `chcon` on it.
 */
export async function withSelinux(ctx: ModuleContext<unknown>, op: Operation, path: string, a: SelinuxArgs): Promise<Operation> {
  if (!asked(a)) return op;
  const q = shellQuote(path);
  const r = await probe(ctx, `if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled; then echo on; stat -c %C ${q} 2>/dev/null; else echo off; fi`);
  const [state, context] = r.stdout.trim().split('\n');
  if (state !== 'on') return op;
  const writes = op.steps.length > 0;
  const opts = chconOptions(a, writes ? undefined : context);
  if (!opts.length) return op;
  return {
    ...op,
    changed: op.changed === 'unknown' ? 'unknown' : true,
    steps: [...op.steps, { kind: 'exec', cmd: `chcon ${opts.map(shellQuote).join(' ')} -- ${q}`, description: `set the SELinux context of ${path} (${opts.filter((_, i) => i % 2).join(' ')})` }],
  };
}
