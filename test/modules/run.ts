import { applyOperation } from '../../src/modules/apply.js';
import { SecretSet } from '../../src/secrets.js';
import { getModule } from '../../src/modules/registry.js';
import type { ModuleContext, ModuleResult, Operation } from '../../src/modules/types.js';
import type { Connection } from '../../src/connection/types.js';
import { fakeCtx } from './fake.js';
import '../../src/modules/index.js';

/** plan() then (unless check) applyOperation(), as the executor does. */
export async function runModule(
  name: string,
  args: Record<string, unknown>,
  conn: Connection,
  over: Partial<Omit<ModuleContext<Record<string, unknown>>, 'args' | 'conn'>> = {},
): Promise<{ op: Operation; result: ModuleResult }> {
  const mod = getModule(name);
  if (!mod) throw new Error(`no module ${name}`);
  const ctx = fakeCtx(args, conn, over);
  const op = await mod.plan(ctx);
  if (ctx.check)
    return {
      op,
      result: {
        changed: op.changed === true,
        ...(op.result ?? {}),
      } as ModuleResult,
    };
  const result = await applyOperation(op, conn, { become: ctx.become, secrets: new SecretSet() });
  return { op, result };
}

export async function planModule(
  name: string,
  args: Record<string, unknown>,
  conn: Connection,
  over: Partial<Omit<ModuleContext<Record<string, unknown>>, 'args' | 'conn'>> = {},
): Promise<Operation> {
  const mod = getModule(name);
  if (!mod) throw new Error(`no module ${name}`);
  return mod.plan(fakeCtx(args, conn, over));
}
