import { shellQuote } from '../connection/quote.js';
import { probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * dpkg_selections — a Debian package's selection state (`hold` keeps apt from upgrading it; `install`,
 * `deinstall`, `purge`). One probe (`dpkg --get-selections NAME`); a change is `dpkg --set-selections`.
 *
 * Returns: changed, before, after.
 */
export interface DpkgSelectionsArgs {
  name: string;
  selection: 'install' | 'hold' | 'deinstall' | 'purge';
}

export const dpkgSelectionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'selection'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9.+:-]+$' },
    selection: { type: 'string', enum: ['install', 'hold', 'deinstall', 'purge'] },
  },
};

export const dpkgSelectionsModule: ModuleDef<DpkgSelectionsArgs> = {
  name: 'dpkg_selections',
  summary: "Set a Debian package's selection (hold, install, deinstall, purge)",
  schema: dpkgSelectionsSchema,
  async plan(ctx): Promise<Operation> {
    const { name, selection } = ctx.args;
    const r = await probe(ctx, `dpkg --get-selections ${shellQuote(name)} 2>/dev/null; true`);
    const cur = /^\S+\s+(\S+)\s*$/m.exec(r.stdout)?.[1] ?? 'not present';
    if (cur === selection) return { changed: false, steps: [], result: { changed: false, before: cur, after: cur } };
    return {
      changed: true,
      steps: [{ kind: 'exec', cmd: 'dpkg --set-selections', stdin: `${name} ${selection}\n`, description: `${name}: ${cur} → ${selection}` }],
      result: { before: cur, after: selection },
    };
  },
};

registerModule(dpkgSelectionsModule);
