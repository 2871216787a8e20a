import { describe, expect, it } from 'vitest';
import { isoWeek, keptByPolicy } from './retention.js';

const at = (times: string[]) => times.map((t) => ({ file: `s-${t}.db`, time: t }));

describe('snapshot retention', () => {
  // every 20 minutes over three days (oldest first)
  const start = Date.parse('2026-12-01T00:00:00Z');
  const snaps = at(Array.from({ length: 3 * 72 }, (_, i) => new Date(start + i * 20 * 60_000).toISOString()));

  it('keeps the newest N, and everything when the policy is all zeros', () => {
    expect([...keptByPolicy(snaps, { last: 2 })]).toEqual(['s-2026-12-03T23:40:00.000Z.db', 's-2026-12-03T23:20:00.000Z.db']);
    expect(keptByPolicy(snaps, { last: 0 }).size).toBe(snaps.length);
  });

  it('adds the newest of each of the last hours, days and weeks that hold a snapshot; always the newest', () => {
    const k = keptByPolicy(snaps, { last: 0, hourly: 3, daily: 3 });
    expect([...k].sort()).toEqual([
      's-2026-12-01T23:40:00.000Z.db', // newest of Dec 1
      's-2026-12-02T23:40:00.000Z.db', // newest of Dec 2
      's-2026-12-03T21:40:00.000Z.db', // hour 21
      's-2026-12-03T22:40:00.000Z.db', // hour 22
      's-2026-12-03T23:40:00.000Z.db', // hour 23, the day's and the newest
    ]);
    expect([...keptByPolicy(snaps, { last: 0, weekly: 5 })]).toEqual(['s-2026-12-03T23:40:00.000Z.db']); // one ISO week
  });

  it('names ISO weeks as ISO 8601 does (the Thursday decides the year)', () => {
    expect(isoWeek(new Date('2026-12-03T12:00:00Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
  });
});
