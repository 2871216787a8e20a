/**
 * Which snapshots a retention policy keeps: the newest `last`, plus the newest snapshot of each of the most recent
 * `hourly` hours, `daily` days and `weekly` ISO weeks that have one (UTC; as restic's --keep-hourly … count
 * periods that hold a snapshot, not calendar periods). The newest snapshot is always kept. A policy of all zeros
 * keeps everything.
 */
export interface RetentionPolicy {
  last: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
}

/** ISO-8601 week of a UTC date, as `YYYY-Www`. */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day); // the Thursday of this week decides its year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const PERIODS = {
  hourly: (d: Date) => d.toISOString().slice(0, 13),
  daily: (d: Date) => d.toISOString().slice(0, 10),
  weekly: isoWeek,
} as const;

/** The files to keep, of snapshots given with their manifest times. */
export function keptByPolicy(snaps: Array<{ file: string; time: string }>, p: RetentionPolicy): Set<string> {
  const newestFirst = [...snaps].sort((a, b) => b.time.localeCompare(a.time) || b.file.localeCompare(a.file));
  if (p.last <= 0 && !p.hourly && !p.daily && !p.weekly) return new Set(newestFirst.map((s) => s.file));
  const keep = new Set(newestFirst.slice(0, Math.max(1, p.last)).map((s) => s.file));
  for (const [tier, periodOf] of Object.entries(PERIODS) as Array<[keyof typeof PERIODS, (d: Date) => string]>) {
    const n = p[tier] ?? 0;
    const seen = new Set<string>();
    for (const s of newestFirst) {
      if (seen.size >= n) break;
      const period = periodOf(new Date(s.time));
      if (seen.has(period)) continue;
      seen.add(period);
      keep.add(s.file);
    }
  }
  return keep;
}
