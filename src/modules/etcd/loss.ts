/** "What a restore will lose": the snapshot's age and revision against the live cluster's, in words. */

export function ago(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}

/** liveRevision: the highest revision a member still answering reports (undefined: none answers). */
export function lossText(snap: { time: string; revision: number }, liveRevision: number | undefined, now = new Date(), unread?: string): string {
  const t = Date.parse(snap.time);
  const age = Number.isNaN(t) ? 'of unknown age' : `taken ${snap.time} (${ago(now.getTime() - t)} ago)`;
  const head = `what this restore loses: the snapshot was ${age} at revision ${snap.revision}`;
  if (liveRevision === undefined && unread) return `${head}; the live revision is not read (${unread}): every write since the snapshot is lost (the last ${Number.isNaN(t) ? '?' : ago(now.getTime() - t)} of writes)`;
  if (liveRevision === undefined) return `${head}; no member answers, so every write since the snapshot is lost (the last ${Number.isNaN(t) ? '?' : ago(now.getTime() - t)} of writes)`;
  const n = liveRevision - snap.revision;
  if (n <= 0) return `${head}; the live cluster is at revision ${liveRevision}: no write after the snapshot is lost`;
  return `${head}; the live cluster is at revision ${liveRevision}: this restore rewinds ${n} revision${n === 1 ? '' : 's'} (every write since the snapshot)`;
}
