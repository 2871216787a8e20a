/**
 * File modes as Ansible accepts them: an octal string ('0644', '644', '1777'), a number (the integer value, so
 * YAML 1.1's 0644 = 420), or symbolic ('u=rw,g=r,o=', 'u+x', 'a-w', 'g+X').
 *
 * One deliberate difference: a number above 0o777 whose decimal digits are all octal (644, 755, 600) is taken
 * as the octal mode it looks like. Ansible would set 644 decimal = 0o1204 (sticky, write-only), which nobody
 * means; it happens when a mode is written without the leading zero.
 */

export type Mode = { kind: 'octal'; value: number } | { kind: 'symbolic'; text: string };

const SYMBOLIC = /^([ugoa]*[-+=]([rwxXst]*|[ugo]))(,[ugoa]*[-+=]([rwxXst]*|[ugo]))*$/;

/** Parses a mode argument; returns undefined when not given; throws Error with a clear message when malformed. */
export function parseMode(mode: unknown): Mode | undefined {
  if (mode === undefined || mode === null) return undefined;
  if (typeof mode === 'number') {
    if (!Number.isInteger(mode) || mode < 0) throw new Error(`mode ${mode} is not a valid file mode`);
    if (mode > 0o777 && /^[0-7]{3,4}$/.test(String(mode)))
      return { kind: 'octal', value: Number.parseInt(String(mode), 8) };
    if (mode > 0o7777) throw new Error(`mode ${mode} is out of range (at most 0o7777); quote octal modes: '0644'`);
    return { kind: 'octal', value: mode };
  }
  if (typeof mode === 'string') {
    const s = mode.trim();
    if (/^0?o?[0-7]{1,4}$/.test(s))
      return {
        kind: 'octal',
        value: Number.parseInt(s.replace(/^0?o?/, '') || '0', 8),
      };
    if (SYMBOLIC.test(s)) return { kind: 'symbolic', text: s };
  }
  throw new Error(`mode ${JSON.stringify(mode)} is neither octal ('0644') nor symbolic ('u=rw,g=r,o=')`);
}

const WHO_BITS = { u: 0o4700, g: 0o2070, o: 0o1007 } as const;

/** Applies a symbolic mode to a current mode (as chmod does, with umask 0 for an empty `who`). */
export function applySymbolic(current: number, text: string, isDir: boolean): number {
  let mode = current & 0o7777;
  for (const clause of text.split(',')) {
    const m = /^([ugoa]*)([-+=])(.*)$/.exec(clause);
    if (!m) throw new Error(`bad symbolic mode clause ${clause}`);
    const whoText = m[1] === '' || (m[1] ?? '').includes('a') ? 'ugo' : (m[1] ?? '');
    const op = m[2];
    const perms = m[3] ?? '';
    let mask = 0;
    for (const w of whoText) mask |= WHO_BITS[w as 'u' | 'g' | 'o'];
    let bits = 0;
    if (/^[ugo]$/.test(perms)) {
      // copy another class's permissions: u=g
      const shift = { u: 6, g: 3, o: 0 }[perms as 'u' | 'g' | 'o'];
      const rwx = (mode >> shift) & 0o7;
      bits = (rwx << 6) | (rwx << 3) | rwx;
    } else {
      for (const p of perms) {
        if (p === 'r') bits |= 0o444;
        else if (p === 'w') bits |= 0o222;
        else if (p === 'x') bits |= 0o111;
        else if (p === 'X') bits |= isDir || (mode & 0o111) !== 0 ? 0o111 : 0;
        else if (p === 's') bits |= 0o6000;
        else if (p === 't') bits |= 0o1000;
      }
    }
    bits &= mask;
    if (op === '+') mode |= bits;
    else if (op === '-') mode &= ~bits;
    else mode = (mode & ~(mask & 0o7777)) | bits;
  }
  return mode & 0o7777;
}

/** The mode a file should end with, given its current mode (undefined for a file that does not exist yet). */
export function targetMode(mode: Mode, current: number | undefined, isDir: boolean): number {
  if (mode.kind === 'octal') return mode.value;
  return applySymbolic(current ?? (isDir ? 0o755 : 0o644), mode.text, isDir);
}

/** '0644' style, as Ansible reports modes. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
