import { LifeboatError, type SourceRef } from '../errors.js';
import type { Serial } from '../playbook/types.js';

/**
 * Splits a play's hosts into rolling batches as Ansible's `serial` does: each entry is a count or a
 * percentage of all the play's hosts ("30%", rounded down, at least 1); the last entry repeats until every
 * host is in a batch. No serial: one batch of every host.
 */
export function serialBatches(hosts: readonly string[], serial: Serial | undefined, src?: SourceRef): string[][] {
  if (hosts.length === 0) return [];
  if (!serial || serial.length === 0) return [[...hosts]];
  const sizes = serial.map((s) => batchSize(s, hosts.length, src));
  const out: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = sizes[Math.min(k, sizes.length - 1)] as number;
    out.push(hosts.slice(i, i + size));
    i += size;
    k++;
  }
  return out;
}

function batchSize(s: number | string, total: number, src?: SourceRef): number {
  let n: number;
  if (typeof s === 'number') n = s;
  else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(s);
    if (!m) {
      throw new LifeboatError('E_PLAYBOOK', `serial: "${s}" is neither a number nor a percentage`, {
        ...(src ? { src } : {}),
        hint: 'use e.g. serial: 1, serial: "30%", or a list such as [1, "50%"]',
      });
    }
    const v = Number(m[1]);
    n = m[2] === '%' ? Math.floor((total * v) / 100) : v;
  }
  if (!Number.isFinite(n) || n < 0) {
    throw new LifeboatError('E_PLAYBOOK', `serial: ${String(s)} is not a valid batch size`, { ...(src ? { src } : {}) });
  }
  // 0 means "all hosts" in Ansible; a percentage below one host still runs one.
  if (n === 0) return typeof s === 'number' || !String(s).includes('%') ? total : 1;
  return Math.max(1, Math.floor(n));
}

export function batchesFor(hosts: readonly string[], play: { serial?: Serial; src: SourceRef }): string[][] {
  return serialBatches(hosts, play.serial, play.src);
}
