/** fstab text, edited as Ansible's mount module does: one line per mount point, fields space-separated. */

export interface FstabEntry {
  src: string;
  path: string;
  fstype: string;
  opts: string;
  dump: string;
  passno: string;
}

/** fstab escapes spaces, tabs, newlines and backslashes in a field as octal (\040 …). */
export function escapeField(s: string): string {
  return s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

export function unescapeField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

export function formatEntry(e: FstabEntry): string {
  return `${[e.src, e.path, e.fstype, e.opts].map(escapeField).join(' ')} ${e.dump} ${e.passno}\n`;
}

function parseLine(line: string): FstabEntry | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const f = t.split(/\s+/);
  if (f.length < 3) return undefined;
  return {
    src: unescapeField(f[0] ?? ''),
    path: unescapeField(f[1] ?? ''),
    fstype: f[2] ?? '',
    opts: unescapeField(f[3] ?? 'defaults'),
    dump: f[4] ?? '0',
    passno: f[5] ?? '0',
  };
}

const same = (a: FstabEntry, b: FstabEntry) =>
  a.src === b.src && a.fstype === b.fstype && a.opts === b.opts && a.dump === b.dump && a.passno === b.passno;

/**
 * `want` set for `path` (the first line for the path replaced if it differs, later ones dropped; appended when
 * there is none), or with `want` undefined every line for `path` removed. Other lines stay byte for byte.
 */
export function editFstab(text: string, path: string, want: FstabEntry | undefined): { text: string; changed: boolean } {
  const lines = text === '' ? [] : text.replace(/\n?$/, '\n').split(/(?<=\n)/);
  const out: string[] = [];
  let done = false;
  let changed = false;
  for (const line of lines) {
    const e = parseLine(line);
    if (!e || e.path !== path) {
      out.push(line);
      continue;
    }
    if (want && !done) {
      done = true;
      if (same(e, want)) out.push(line);
      else {
        out.push(formatEntry(want));
        changed = true;
      }
      continue;
    }
    changed = true; // a duplicate, or the entry being removed
  }
  if (want && !done) {
    out.push(formatEntry(want));
    changed = true;
  }
  return { text: out.join(''), changed };
}
