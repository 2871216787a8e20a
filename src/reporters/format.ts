import { relative } from 'node:path';
import type { HostCounts, RunEvent } from '../executor/events.js';
import type { Paint } from './color.js';

/** `file` relative to `cwd` when inside it, else as it is. */
export function shortPath(file: string, cwd = process.cwd()): string {
  const r = relative(cwd, file);
  return r && !r.startsWith('..') ? r : file;
}

export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}

type HostResult = Extract<RunEvent, { type: 'host_result' }>;

export function statusWord(ev: HostResult): string {
  if (ev.status === 'failed' && ev.ignored) return 'failed (ignored)';
  return ev.status;
}

export function statusStyle(ev: HostResult): 'red' | 'green' | 'yellow' | 'cyan' | 'gray' {
  switch (ev.status) {
    case 'ok':
      return 'green';
    case 'changed':
      return 'yellow';
    case 'skipped':
      return 'cyan';
    case 'failed':
      return ev.ignored ? 'gray' : 'red';
    case 'unreachable':
      return 'red';
  }
}

/** The first lines of the failing command's output, for failure display. */
export function failureDetail(ev: HostResult, maxLines = 12): string[] {
  const lines: string[] = [];
  if (ev.msg) lines.push(ev.msg);
  if (ev.rc !== undefined && ev.status === 'failed') lines.push(`rc=${ev.rc}`);
  const err = (ev.stderr ?? '').trim();
  const out = (ev.stdout ?? '').trim();
  const body = err || out;
  if (body) {
    const bl = body.split('\n');
    lines.push(...bl.slice(0, maxLines));
    if (bl.length > maxLines) lines.push(`… (${bl.length - maxLines} more lines)`);
  }
  return lines;
}

export function recapLines(hosts: Record<string, HostCounts>, paint: Paint): string[] {
  const names = Object.keys(hosts);
  const w = Math.max(4, ...names.map((n) => n.length));
  return names.map((h) => {
    const c = hosts[h] as HostCounts;
    const bad = c.failed > 0 || c.unreachable > 0;
    const name = paint(bad ? 'red' : c.changed > 0 ? 'yellow' : 'green', h.padEnd(w));
    const f = (k: keyof HostCounts, style: 'red' | 'yellow' | 'green' | 'cyan' | 'gray') =>
      c[k] > 0 ? paint(style, `${k}=${c[k]}`) : `${k}=${c[k]}`;
    return `  ${name}  ${f('ok', 'green')} ${f('changed', 'yellow')} ${f('failed', 'red')} ${f('skipped', 'cyan')} ${f('unreachable', 'red')} ${f('rescued', 'yellow')} ${f('ignored', 'gray')}`;
  });
}
