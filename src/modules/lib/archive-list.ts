/**
 * unarchive's listing: what an archive holds (from `tar -tvf` or `unzip -l`), and whether a directory already
 * holds it (every entry there, of the same type; regular files of the same size).
 */

export type ArchiveFormat = 'tar' | 'zip';

export interface ArchiveEntry {
  /** Path relative to dest, without a leading `./` and without a trailing `/`. */
  name: string;
  type: 'file' | 'directory' | 'link' | 'other';
  size: number;
}

/** The format from the first bytes: zip (PK\x03\x04, or an empty zip's PK\x05\x06), else tar (gz/bz2/xz/plain). */
export function formatOfMagic(hex: string): ArchiveFormat {
  const h = hex.replace(/\s+/g, '').toLowerCase();
  return h.startsWith('504b0304') || h.startsWith('504b0506') ? 'zip' : 'tar';
}

function clean(name: string, strip: number): string | undefined {
  const parts = name.replace(/^\.\//, '').replace(/\/+$/, '').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length <= strip) return undefined;
  return parts.slice(strip).join('/');
}

/** GNU `tar -tvf` lines: `-rw-r--r-- root/root 12 2024-01-01 12:00 dir/file` (`l…`: `name -> target`). */
export function parseTarListing(text: string, strip = 0): ArchiveEntry[] {
  const out: ArchiveEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S)\S*\s+\S+\s+(\d+)\s+\S+\s+\S+\s(.*)$/.exec(line);
    if (!m) continue;
    const [, t = '-', size = '0', rest = ''] = m;
    const type = t === '-' ? 'file' : t === 'd' ? 'directory' : t === 'l' ? 'link' : t === 'h' ? 'file' : 'other';
    const raw = t === 'l' ? rest.replace(/ -> .*$/, '') : t === 'h' ? rest.replace(/ link to .*$/, '') : rest;
    const name = clean(raw, strip);
    if (name !== undefined) out.push({ name, type, size: t === 'h' ? -1 : Number(size) });
  }
  return out;
}

/** `unzip -l` rows between the dashed lines: `  1234  2024-01-01 12:00   dir/file` (a directory ends in `/`). */
export function parseZipListing(text: string, strip = 0): ArchiveEntry[] {
  const out: ArchiveEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+\S+\s+\S+\s\s\s(.*)$/.exec(line);
    if (!m) continue;
    const [, size = '0', raw = ''] = m;
    const name = clean(raw, strip);
    if (name !== undefined) out.push({ name, type: raw.endsWith('/') ? 'directory' : 'file', size: Number(size) });
  }
  return out;
}

/** The listing command run on the host (or the controller) for an archive. */
export function listCommand(format: ArchiveFormat, q: string): string {
  return format === 'zip' ? `unzip -l ${q}` : `tar -tvf ${q}`;
}

/** `--strip-components=N` (or `--strip-components N`) in tar's extra_opts. */
export function stripOf(extra: readonly string[]): number {
  for (let i = 0; i < extra.length; i++) {
    const m = /^--strip-components(?:=(\d+))?$/.exec(extra[i] ?? '');
    if (m) return Number(m[1] ?? extra[i + 1] ?? 0);
  }
  return 0;
}

/** Shell that prints `size|type|name` for each name read on stdin, relative to the current directory. */
export const STAT_EACH =
  'while IFS= read -r p; do stat -c \'%s|%F|%n\' -- "$p" 2>/dev/null || printf \'missing|missing|%s\\n\' "$p"; done';

/** The entries that dest does not hold as the archive has them, from STAT_EACH's output. */
export function differing(entries: ArchiveEntry[], statOut: string): string[] {
  const have = new Map<string, { size: number; type: string }>();
  for (const line of statOut.split('\n')) {
    const [size = '', type = '', ...rest] = line.split('|');
    if (rest.length) have.set(rest.join('|'), { size: Number(size), type });
  }
  return entries
    .filter((e) => {
      const h = have.get(e.name);
      if (!h || h.type === 'missing') return true;
      if (e.type === 'directory') return h.type !== 'directory';
      if (e.type === 'link') return h.type !== 'symbolic link';
      if (e.type === 'file') return !h.type.startsWith('regular') || (e.size >= 0 && h.size !== e.size);
      return false;
    })
    .map((e) => e.name);
}
