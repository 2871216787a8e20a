/**
 * What an offline plan says about a module that needed to look at its host (a service's state, a path's
 * stat): the call itself, with its arguments rendered for the host, as Ansible's `-v` shows a module's
 * `module_args` — `service: name=etcd state=stopped`, `file: path=/var/lib/etcd/member state=absent` — so the
 * plan shows what would run on every host even where it cannot say whether it changes anything. Where a probe
 * would decide whether the step is destructive (a path removed), the entry is marked "may …" instead of
 * counting as safe.
 */
import type { SecretSet } from '../secrets.js';
import { NO_LOG_TEXT } from './output.js';

export interface OfflineIntent {
  notes: string[];
  destructive: string[];
}

const MAX_VALUE = 160;

/** `key=value` as Ansible's parse_kv reads it back: a value with spaces or quotes is quoted. */
function kv(key: string, value: unknown): string {
  const full = typeof value === 'string' ? value : JSON.stringify(value);
  // a copy's whole `content` is not a plan line: its start and its length
  const s = full.length > MAX_VALUE ? `${full.slice(0, MAX_VALUE)}… (${full.length} characters)` : full;
  return `${key}=${/[\s'"\\]/.test(s) || s === '' ? JSON.stringify(s) : s}`;
}

export function offlineIntent(module: string, args: Record<string, unknown>, secrets: SecretSet, noLog: boolean): OfflineIntent {
  if (noLog) return { notes: [`${module}: ${NO_LOG_TEXT}`], destructive: [] };
  const words = Object.entries(args)
    .filter(([k, v]) => v !== undefined && v !== null && !k.startsWith('_'))
    .map(([k, v]) => kv(k, v));
  const notes = [secrets.mask(`${module}: ${words.join(' ')}`.trimEnd())];
  const destructive: string[] = [];
  const path = args.path ?? args.dest ?? args.name;
  if (module === 'file' && args.state === 'absent' && typeof path === 'string')
    destructive.push(secrets.mask(`may delete ${path} and everything under it (offline: whether it exists is not looked at)`));
  return { notes, destructive };
}
