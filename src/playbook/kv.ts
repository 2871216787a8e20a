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

/** The quote left open after `token`, as Ansible's `_get_quote_state` tracks it. */
function quoteState(token: string, open: string | undefined): string | undefined {
  let q = open;
  for (let i = 0; i < token.length; i++) {
    const c = token[i] as string;
    if ((c === '"' || c === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (!q) q = c;
      else if (c === q) q = undefined;
    }
  }
  return q;
}

function jinjaDepth(token: string, depth: number, open: string, close: string): number {
  const n = token.split(open).length - token.split(close).length;
  return n === 0 ? depth : Math.max(0, depth + n);
}

/**
 * Ansible's `split_args` (parsing/splitter.py, ansible-core 2.14), word for word: split on newlines, then on
 * single spaces, gluing back words inside quotes or Jinja blocks; a word that is a lone `\` outside quotes
 * is dropped, and when it ends a line so is that newline (shell line continuation). `undefined` where
 * Ansible fails ("unbalanced jinja2 block or quotes").
 */
export function ansibleSplitArgs(args: string): string[] | undefined {
  const params: string[] = [];
  const items = args.split('\n');
  let quote: string | undefined;
  let print = 0;
  let block = 0;
  let comment = 0;
  const append = (t: string) => params.push(t);
  const extend = (t: string) => {
    if (params.length === 0) return false;
    params[params.length - 1] += t;
    return true;
  };
  for (let itemIdx = 0; itemIdx < items.length; itemIdx++) {
    const tokens = (items[itemIdx] as string).split(' ');
    let continuation = false;
    for (let idx = 0; idx < tokens.length; idx++) {
      const token = tokens[idx] as string;
      if (token.length === 0 && idx !== 0) {
        if (!extend(' ')) return undefined;
        continue;
      }
      if (token === '\\' && !quote) {
        continuation = true;
        continue;
      }
      const wasInside = quote !== undefined;
      quote = quoteState(token, quote);
      const inside = quote !== undefined;
      let appended = false;
      const inJinja = print > 0 || block > 0 || comment > 0;
      if (inside && !wasInside && !inJinja) {
        append(token);
        appended = true;
      } else if (inJinja || inside || wasInside) {
        let ok: boolean;
        if (idx === 0 && wasInside) ok = extend(token);
        else if (tokens.length > 1) ok = extend(`${idx > 0 ? ' ' : ''}${token}`);
        else ok = extend(`\n${token}`);
        if (!ok) return undefined;
        appended = true;
      }
      for (const [open, close] of [
        ['{{', '}}'],
        ['{%', '%}'],
        ['{#', '#}'],
      ] as const) {
        const before = open === '{{' ? print : open === '{%' ? block : comment;
        const after = jinjaDepth(token, before, open, close);
        if (open === '{{') print = after;
        else if (open === '{%') block = after;
        else comment = after;
        if (after !== before && !appended) {
          append(token);
          appended = true;
        }
      }
      if (!(print || block || comment) && !inside && !appended && token !== '') append(token);
    }
    if (items.length > 1 && itemIdx !== items.length - 1 && !continuation) {
      if (!extend('\n')) return undefined;
    }
  }
  if (print || block || comment || quote) return undefined;
  return params;
}

/** Ansible's `join_args`: the words back into one string, a space between them except after a newline. */
export function ansibleJoinArgs(words: readonly string[]): string {
  let out = '';
  for (const w of words) out += out.length === 0 || out.endsWith('\n') ? w : ` ${w}`;
  return out;
}

/**
 * Free text with options, as Ansible's `parse_kv(args, check_raw=True)` reads a `command:`/`shell:` line:
 * the words of `ansibleSplitArgs`; a word `k=v` whose `k` is one of `optionNames` is an option, every other
 * word is free text, joined back by `ansibleJoinArgs` — so spacing and newlines stay as written, and a lone
 * `\` word is dropped as Ansible drops it (`do \` + newline, or a single-quoted YAML string folded into
 * `do \ next`). Text Ansible cannot split (unbalanced quotes or Jinja) — which Ansible refuses — is kept
 * whole here, with options cut out by the whitespace split.
 */
export function parseFreeForm(s: string, optionNames: ReadonlySet<string>): { raw: string; options: Record<string, string> } {
  const words = ansibleSplitArgs(s);
  if (!words) return looseFreeForm(s, optionNames);
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const w of words) {
    const eq = w.indexOf('=', 1);
    const key = eq > 0 ? w.slice(0, eq) : undefined;
    if (key !== undefined && optionNames.has(key)) options[key.trim()] = unquote(w.slice(eq + 1).trim());
    else raw.push(w);
  }
  return { raw: ansibleJoinArgs(raw), options };
}

function looseFreeForm(s: string, optionNames: ReadonlySet<string>): { raw: string; options: Record<string, string> } {
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
