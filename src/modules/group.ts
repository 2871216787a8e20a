import { shellJoin, shellQuote } from '../connection/quote.js';
import { probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * group — a local group present (groupadd, groupmod -g for another gid) or absent (groupdel). One probe
 * (`getent group`).
 *
 * Returns: name, gid, state, system.
 */
export interface GroupArgs {
  name: string;
  state?: 'present' | 'absent';
  gid?: number;
  system?: boolean;
  non_unique?: boolean;
  local?: boolean;
  force?: boolean;
}

export const groupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.][A-Za-z0-9_.-]*\\$?$' },
    state: { type: 'string', enum: ['present', 'absent'] },
    gid: { type: 'integer', minimum: 0 },
    system: { type: 'boolean' },
    non_unique: { type: 'boolean' },
    local: { type: 'boolean', description: 'accepted; groups are always local (groupadd)' },
    force: { type: 'boolean' },
  },
};

export const groupModule: ModuleDef<GroupArgs> = {
  name: 'group',
  summary: 'Add, change the gid of, or remove a local group',
  schema: groupSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const state = a.state ?? 'present';
    const r = await probe(ctx, `getent group ${shellQuote(a.name)}; true`);
    const parts = r.stdout.trim().split(':');
    const exists = r.stdout.trim() !== '';
    const gid = exists ? Number(parts[2]) : undefined;
    const steps: Step[] = [];
    if (state === 'absent' && exists)
      steps.push({ kind: 'exec', cmd: shellJoin(['groupdel', ...(a.force ? ['-f'] : []), a.name]), description: `remove group ${a.name}`, destructive: `removes group ${a.name}` });
    if (state === 'present' && !exists)
      steps.push({
        kind: 'exec',
        cmd: shellJoin(['groupadd', ...(a.gid !== undefined ? ['-g', String(a.gid)] : []), ...(a.non_unique ? ['-o'] : []), ...(a.system ? ['-r'] : []), a.name]),
        description: `add group ${a.name}`,
      });
    if (state === 'present' && exists && a.gid !== undefined && a.gid !== gid)
      steps.push({ kind: 'exec', cmd: shellJoin(['groupmod', '-g', String(a.gid), ...(a.non_unique ? ['-o'] : []), a.name]), description: `gid of ${a.name}: ${gid} → ${a.gid}` });
    const finalGid = a.gid ?? gid;
    return {
      changed: steps.length > 0,
      steps,
      result: { name: a.name, state, system: a.system ?? false, ...(state === 'present' && finalGid !== undefined ? { gid: finalGid } : {}) },
    };
  },
};

registerModule(groupModule);
