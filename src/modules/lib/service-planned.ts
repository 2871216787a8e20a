import { shellQuote } from '../../connection/quote.js';
import type { Step } from '../types.js';

/**
 * Plan mode: whether steps that earlier tasks of the plan will run on this host leave the service running
 * (true), stopped (false), or say nothing about it (undefined). Recognises the commands service/systemd plan
 * (`service NAME stop|start|restart` through the SysV fallback, `systemctl [--no-block] stop|start|restart NAME`).
 * The last matching step wins.
 */
export function plannedRunning(earlier: readonly Step[] | undefined, name: string): boolean | undefined {
  if (!earlier?.length) return undefined;
  const base = shellQuote(name.replace(/\.service$/, ''));
  const unit = shellQuote(name);
  const sysv = new RegExp(
    `^if command -v service >/dev/null 2>&1; then service ${escapeRe(base)} (start|stop|restart)( |;)`,
  );
  const sysd = new RegExp(`^systemctl (?:--no-block )?(start|stop|restart) ${escapeRe(unit)}$`);
  let state: boolean | undefined;
  for (const s of earlier) {
    if (s.kind !== 'exec') continue;
    const verb = sysv.exec(s.cmd)?.[1] ?? sysd.exec(s.cmd)?.[1];
    if (verb) state = verb !== 'stop';
  }
  return state;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
