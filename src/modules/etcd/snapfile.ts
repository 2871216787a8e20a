import { shellQuote } from '../../connection/quote.js';
import { type OfflineTool, snapshotStatusCmd } from './version.js';

/**
 * Checks of a snapshot file on a node: sha256 of the whole file, the sha256 trailer that `snapshot save`
 * appends (the last 32 bytes are the sha256 of everything before them — this catches truncation and
 * corruption, which 3.4's `snapshot status` does not), and `snapshot status` (hash, revision, keys, size).
 */
/**
 * `knownSha`: the sha256 the host already proved while the bytes arrived (a verified put) — not read again.
 */
export function snapshotCheckScript(tool: OfflineTool, file: string, knownSha?: string): string {
  const f = shellQuote(file);
  const sha = knownSha && /^[0-9a-f]{64}$/.test(knownSha) ? `echo "SHA256 ${knownSha}"` : `echo "SHA256 $(sha256sum < ${f} | cut -d' ' -f1)"`;
  return [
    `[ -f ${f} ] || { echo "snapshot ${file.replace(/[^\w./-]/g, '?')} does not exist" >&2; exit 2; }`,
    `size=$(stat -c %s ${f})`,
    `echo "SIZE $size"`,
    sha,
    `if [ "$size" -gt 32 ]; then body=$(head -c $((size - 32)) ${f} | sha256sum | cut -d' ' -f1); trailer=$(tail -c 32 ${f} | od -An -vtx1 | tr -d ' \\n'); else body=x; trailer=y; fi`,
    `if [ "$body" = "$trailer" ]; then echo "TRAILER ok"; else echo "TRAILER bad"; fi`,
    `if st=$(${snapshotStatusCmd(tool, file)} 2>&1); then echo "STATUS $(echo "$st" | grep '^{"hash"' | head -1)"; else echo "STATUSERR $(echo "$st" | tail -1)"; fi`,
  ].join('\n');
}

export interface SnapshotCheck {
  size?: number;
  sha256?: string;
  trailer_ok: boolean;
  status?: { hash: number; revision: number; totalKey: number; totalSize: number };
  status_error?: string;
}

export function parseSnapshotCheck(out: string): SnapshotCheck {
  const r: SnapshotCheck = { trailer_ok: false };
  for (const line of out.split('\n')) {
    const [tag, ...rest] = line.split(' ');
    const v = rest.join(' ').trim();
    if (tag === 'SIZE') r.size = Number(v);
    else if (tag === 'SHA256' && /^[0-9a-f]{64}$/.test(v)) r.sha256 = v;
    else if (tag === 'TRAILER') r.trailer_ok = v === 'ok';
    else if (tag === 'STATUS') {
      try {
        r.status = JSON.parse(v);
      } catch {
        r.status_error = v.slice(0, 300);
      }
    } else if (tag === 'STATUSERR') r.status_error = v.slice(0, 300);
  }
  return r;
}

/** Problems with a checked snapshot (empty when sound), against an expected sha256 when one is known. */
export function snapshotProblems(c: SnapshotCheck, expectedSha?: string): string[] {
  const p: string[] = [];
  if (!c.sha256) p.push('could not compute its sha256');
  if (!c.trailer_ok) p.push('its sha256 trailer does not match its content (truncated or corrupted, or not a `snapshot save` file)');
  if (!c.status) p.push(`snapshot status failed${c.status_error ? `: ${c.status_error}` : ''}`);
  if (expectedSha && c.sha256 && c.sha256 !== expectedSha) p.push(`sha256 ${c.sha256} differs from the manifest's ${expectedSha}`);
  return p;
}
