/**
 * apt's whole-system work: `upgrade` (`yes`/`safe`: `apt-get upgrade --with-new-pkgs`; `dist`/`full`:
 * `apt-get dist-upgrade`, as Ansible's apt without aptitude) and `autoclean`. Each is planned from apt-get's
 * own simulation (`-s`): nothing to upgrade or clean is no step. With `update_cache` the simulation reads
 * the lists before the update, so the plan cannot tell: the step stays, its change unknown until run.
 */
import { shellJoin } from '../connection/quote.js';
import { probe } from './common.js';
import type { ModuleContext, Step } from './types.js';

export type UpgradeMode = 'yes' | 'safe' | 'full' | 'dist';

export const UPGRADE_VALUES = ['no', 'yes', 'safe', 'full', 'dist', true, false] as const;

/** The mode an `upgrade` value asks for, or undefined for none (`no`, false). */
export function upgradeMode(v: unknown): UpgradeMode | undefined {
  if (v === true) return 'yes';
  if (v === false || v === 'no' || v === undefined) return undefined;
  return v as UpgradeMode;
}

function upgradeArgs(mode: UpgradeMode): string[] {
  return mode === 'yes' || mode === 'safe' ? ['upgrade', '--with-new-pkgs'] : ['dist-upgrade'];
}

export interface SystemWork {
  steps: Step[];
  /** The plan cannot tell whether the steps change anything (the cache is updated first). */
  unsure: boolean;
}

export async function planSystemWork(
  ctx: ModuleContext<unknown>,
  a: { upgrade?: unknown; autoclean?: boolean },
  common: string[],
  env: Record<string, string>,
  cacheUpdated: boolean,
): Promise<SystemWork> {
  const steps: Step[] = [];
  const mode = upgradeMode(a.upgrade);
  if (mode) {
    const sim = await probe(ctx, `LC_ALL=C apt-get -s ${upgradeArgs(mode).join(' ')} 2>&1`);
    if (cacheUpdated || aptChanged(sim.stdout))
      steps.push({ kind: 'exec', cmd: shellJoin(['apt-get', ...upgradeArgs(mode), ...common]), env, description: `${mode === 'yes' || mode === 'safe' ? 'safe' : mode} upgrade of every package` });
  }
  if (a.autoclean) {
    const sim = await probe(ctx, 'LC_ALL=C apt-get -s autoclean 2>&1');
    if (cacheUpdated || /^Del /m.test(sim.stdout))
      steps.push({ kind: 'exec', cmd: 'apt-get -y autoclean', env, description: 'remove package files that can no longer be downloaded' });
  }
  return { steps, unsure: cacheUpdated && steps.length > 0 };
}

/** apt-get's summary line ("N upgraded, M newly installed, K to remove") → did it change anything? */
export function aptChanged(stdout: string): boolean {
  const m = /(\d+) upgraded, (\d+) newly installed, (\d+) (?:to remove|removed)/.exec(stdout);
  if (!m) return /Setting up |Removing |Purging |^Del /m.test(stdout);
  return Number(m[1]) + Number(m[2]) + Number(m[3]) > 0;
}
