/**
 * Ansible's one-line argument forms: `file: path=/x state=directory` (key=value pairs) and
 * `command: ls -l /x creates=/x chdir=/y` (free text plus key=value options). Quotes and Jinja blocks
 * (`{{ … }}`, `{% … %}`) keep their spaces; the free text keeps its exact bytes (newlines of a `shell: |`
 * script included), only the extracted options are cut out.
 */

export interface Token {
  text: string;
  start: number;
  end: number;
}

/** Split on unquoted whitespace outside Jinja blocks. */
export function splitArgs(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
    if (i >= s.length) break;
    const start = i;
    let quote: string | undefined;
    let jinja = 0;
    while (i < s.length) {
      const c = s[i] as string;
      const two = s.slice(i, i + 2);
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = undefined;
        i++;
        continue;
      }
      if (two === '{{' || two === '{%' || two === '{#') {
        jinja++;
        i += 2;
        continue;
      }
      if (jinja > 0 && (two === '}}' || two === '%}' || two === '#}')) {
        jinja--;
        i += 2;
        continue;
      }
      if (jinja === 0 && /\s/.test(c)) break;
      if (jinja === 0 && (c === '"' || c === "'")) quote = c;
      i++;
    }
    out.push({ text: s.slice(start, i), start, end: i });
  }
  return out;
}

const KV = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/** `key=value` → [key, unquoted value], or undefined for a token that is not one. */
export function splitKv(token: string): [string, string] | undefined {
  const m = KV.exec(token);
  if (!m) return undefined;
  return [m[1] as string, unquote(m[2] as string)];
}

export function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    const inner = v.slice(1, -1);
    return v[0] === '"' ? inner.replace(/\\(["\\])/g, '$1') : inner;
  }
  return v;
}

export type KvResult = { ok: true; args: Record<string, string> } | { ok: false; bad: string };

/** `path=/x state=directory` → { path: '/x', state: 'directory' }; fails on the first token without `=`. */
export function parseKv(s: string): KvResult {
  const args: Record<string, string> = {};
  for (const t of splitArgs(s)) {
    const kv = splitKv(t.text);
    if (!kv) return { ok: false, bad: t.text };
    args[kv[0]] = kv[1];
  }
  return { ok: true, args };
}

/**
 * Free text with options: tokens `k=v` whose `k` is one of `optionNames` are cut out as options; the rest of
 * the text, unchanged, is the free text.
 */
export function parseFreeForm(s: string, optionNames: ReadonlySet<string>): { raw: string; options: Record<string, string> } {
  const options: Record<string, string> = {};
  let raw = '';
  let last = 0;
  for (const t of splitArgs(s)) {
    const kv = splitKv(t.text);
    if (!kv || !optionNames.has(kv[0])) continue;
    options[kv[0]] = kv[1];
    raw += s.slice(last, t.start).replace(/[ \t]+$/, '');
    last = t.end;
  }
  if (last === 0) return { raw: s, options };
  raw += s.slice(last);
  return { raw: raw.trim(), options };
}
