/**
 * Python's `fnmatch` — the one glob matcher. Ansible matches with it wherever a task or a pattern takes a
 * wildcard: host patterns (`fnmatch.translate`), setup's `filter`, apt's `name=version*`, archive's
 * `exclusion_patterns` (`fnmatch.fnmatch`; on POSIX case-sensitive, no path semantics: `*` matches `/`).
 *
 * `*` any run of characters (newlines too), `?` one character, `[seq]` one of seq, `[!seq]` one not in seq;
 * `]` first in a set is literal, `-` first or last in a set is literal, a range whose end comes before its start
 * is dropped (as Python 3.9+ does: `[z-a]` matches nothing, `[!z-a]` any character), a `[` with no closing `]`
 * is literal, and a backslash is an ordinary character.
 */

/** Escape one character for use inside a JS RegExp character class (`u` mode). */
const inClass = (c: string): string => (c === '\\' || c === ']' || c === '[' || c === '-' || c === '^' ? `\\${c}` : c);

/** The body of a set, `pat[start..end)` between `[` and `]` (with its leading `!`), as Python's translate does. */
function setBody(p: string[], start: number, end: number): string {
  const neg = p[start] === '!';
  const body = p.slice(start, end);
  if (!body.includes('-')) return body.map(inClass).join('');
  // Split on the hyphens that make ranges; a hyphen first in the set (after `!`) or last is literal.
  const chunks: string[][] = [];
  let i = start;
  let k = neg ? start + 2 : start + 1;
  for (;;) {
    k = p.indexOf('-', k);
    if (k < 0 || k >= end) break;
    chunks.push(p.slice(i, k));
    i = k + 1;
    k += 3;
  }
  const last = p.slice(i, end);
  if (last.length) chunks.push(last);
  else chunks[chunks.length - 1]?.push('-');
  // Drop empty ranges (`z-a`): invalid in a RegExp, and matching nothing in Python.
  for (let c = chunks.length - 1; c > 0; c--) {
    const prev = chunks[c - 1] as string[];
    const cur = chunks[c] as string[];
    if ((prev[prev.length - 1] as string) > (cur[0] as string)) {
      chunks[c - 1] = [...prev.slice(0, -1), ...cur.slice(1)];
      chunks.splice(c, 1);
    }
  }
  // a leading `!` is never escaped: the caller sees it first and makes it `^`
  return chunks.map((ch) => ch.map(inClass).join('')).join('-');
}

/** The RegExp (whole string) that Python's `fnmatch.translate(glob)` makes. */
export function globToRegExp(glob: string): RegExp {
  const p = Array.from(glob);
  const n = p.length;
  let re = '';
  let star = false;
  let i = 0;
  while (i < n) {
    const c = p[i++] as string;
    if (c === '*') {
      if (!star) re += '.*';
      star = true;
      continue;
    }
    star = false;
    if (c === '?') re += '.';
    else if (c === '[') {
      let j = i;
      if (j < n && p[j] === '!') j++;
      if (j < n && p[j] === ']') j++;
      while (j < n && p[j] !== ']') j++;
      if (j >= n) {
        re += '\\[';
        continue;
      }
      const body = setBody(p, i, j);
      i = j + 1;
      if (body === '') re += '(?!)';
      else if (body === '!') re += '.';
      else re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
    } else re += /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^(?:${re})$`, 'su');
}

/** Python's `fnmatch.fnmatch(name, pattern)` on POSIX (case-sensitive). */
export function fnmatch(name: string, pattern: string): boolean {
  return globToRegExp(pattern).test(name);
}
