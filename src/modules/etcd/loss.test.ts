import { describe, expect, it } from 'vitest';
import { ago, lossText } from './loss.js';

describe('what a restore loses', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  it('counts the revisions rewound against the live cluster and says the age', () => {
    expect(lossText({ time: '2026-12-04T09:30:00Z', revision: 100 }, 1100, now)).toBe(
      'what this restore loses: the snapshot was taken 2026-12-04T09:30:00Z (2 h 30 min ago) at revision 100; the live cluster is at revision 1100: this restore rewinds 1000 revisions (every write since the snapshot)',
    );
    expect(lossText({ time: '2026-12-04T11:59:00Z', revision: 7 }, 7, now)).toContain('no write after the snapshot is lost');
  });
  it('with no member answering, the loss is the snapshot’s age', () => {
    expect(lossText({ time: '2026-12-01T10:00:00Z', revision: 5 }, undefined, now)).toContain('no member answers, so every write since the snapshot is lost (the last 3 days 2 h of writes)');
    expect(ago(59 * 60_000)).toBe('59 min');
  });
  it('with members running but nothing to read them with, says why the live revision is unknown', () => {
    expect(lossText({ time: '2026-12-04T11:00:00Z', revision: 9 }, undefined, now, 'no etcdctl on n1, n2, where etcd runs')).toBe(
      'what this restore loses: the snapshot was taken 2026-12-04T11:00:00Z (1 h 0 min ago) at revision 9; the live revision is not read (no etcdctl on n1, n2, where etcd runs): every write since the snapshot is lost (the last 1 h 0 min of writes)',
    );
  });
});
