import { TemplateTypeError } from './python.js';

/** Python `re` patterns and replacement strings, translated to JavaScript's. */

const cache = new Map<string, RegExp>();

/** Compile a Python pattern: `(?P<n>…)`, `(?P=n)`, `\A`, `\Z`, inline `(?i)` flags. */
export function pyRegex(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return new RegExp(hit.source, hit.flags);
  let src = pattern;
  let f = flags;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const c of inline[1] ?? '') if ('ims'.includes(c) && !f.includes(c)) f += c;
  }
  src = src
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  let re: RegExp;
  try {
    re = new RegExp(src, f);
  } catch (e) {
    throw new TemplateTypeError(`bad regular expression '${pattern}': ${(e as Error).message}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return new RegExp(re.source, re.flags);
}

export function reFlags(kw: Record<string, unknown>, ignorecase: unknown, multiline: unknown): string {
  let f = '';
  if (ignorecase === true || kw.ignorecase === true) f += 'i';
  if (multiline === true || kw.multiline === true) f += 'm';
  return f;
}

/** Python replacement (`\1`, `\g<1>`, `\g<name>`) applied to one match. */
export function expandReplacement(
  repl: string,
  m: RegExpExecArray | string[],
  groups?: Record<string, string | undefined>,
): string {
  return repl.replace(
    /\\(?:g<([^>]+)>|(\d{1,2})|(.))/g,
    (_all, g: string | undefined, d: string | undefined, c: string | undefined) => {
      if (g !== undefined) {
        if (/^\d+$/.test(g)) return m[Number(g)] ?? '';
        if (!groups || !(g in groups)) throw new TemplateTypeError(`unknown group name '${g}' in replacement`);
        return groups[g] ?? '';
      }
      if (d !== undefined) {
        if (Number(d) >= m.length) throw new TemplateTypeError(`invalid group reference \\${d} in replacement`);
        return m[Number(d)] ?? '';
      }
      const esc: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
      };
      return esc[c as string] ?? `\\${c}`;
    },
  );
}

/** Python's re.sub(pattern, repl, s, count). */
export function pySub(s: string, re: RegExp, repl: string, count = 0): string {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let n = 0;
  return s.replace(g, (...a: unknown[]) => {
    if (count > 0 && n >= count) return a[0] as string;
    n++;
    const last = a[a.length - 1];
    const groups = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    const numIdx = a.findIndex((x, i) => i > 0 && typeof x === 'number');
    const m = a.slice(0, numIdx).map((x) => (x === undefined ? '' : String(x)));
    return expandReplacement(repl, m, groups);
  });
}
