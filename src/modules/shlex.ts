/**
 * Python's `shlex.split(s)` (POSIX mode, no comments), as Ansible's command module splits a free-form command:
 * whitespace separates words, quotes group and are removed, a backslash escapes outside single quotes.
 * Throws Error on an unclosed quote.
 */
export function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < s.length && '"\\$`\n'.includes(s[i + 1] as string)) cur += s[++i];
      else cur += c;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') {
      if (i + 1 < s.length) cur += s[++i];
    } else cur += c;
  }
  if (quote) throw new Error(`no closing quotation (${quote})`);
  if (inWord) words.push(cur);
  return words;
}

const KV_KEYS = ['creates', 'removes', 'chdir', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends'];

/**
 * Ansible lets free-form commands carry `creates=… chdir=…` words. Takes those (unquoted, outside quotes) out of
 * the string and returns the rest unchanged.
 */
export function extractFreeFormKv(raw: string): {
  rest: string;
  kv: Record<string, string>;
} {
  const kv: Record<string, string> = {};
  const re = new RegExp(`(^|\\s)(${KV_KEYS.join('|')})=("[^"]*"|'[^']*'|\\S+)(?=\\s|$)`, 'g');
  // Only words outside quotes: blank out quoted regions for matching.
  const masked = raw.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, (m) => ' '.repeat(m.length));
  const cut: Array<[number, number]> = [];
  for (const m of masked.matchAll(re)) {
    const start = (m.index ?? 0) + (m[1] ?? '').length;
    const text = raw.slice(start, (m.index ?? 0) + m[0].length);
    const eq = text.indexOf('=');
    let value = text.slice(eq + 1);
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    kv[text.slice(0, eq)] = value;
    cut.push([start, (m.index ?? 0) + m[0].length]);
  }
  let rest = raw;
  for (const [a, b] of cut.reverse()) rest = rest.slice(0, a).replace(/[ \t]+$/, '') + rest.slice(b);
  return { rest: cut.length ? rest.trim() : raw, kv };
}
