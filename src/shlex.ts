/**
 * Python's `shlex.split(line, comments=…)` in POSIX mode, as Ansible uses it for INI host lines (comments on)
 * and free-form commands (comments off): whitespace separates words, quotes group and are removed, a
 * backslash escapes outside quotes (and `"` / `\` inside double quotes), and with comments on, `#` outside
 * quotes starts a comment — even inside a word.
 */

export interface Word {
  text: string;
  /** 0-based index in the line where the word starts. */
  start: number;
}

export type SplitResult = { ok: true; words: Word[] } | { ok: false; message: string; at: number };

export function shlexSplit(line: string, opts: { comments?: boolean } = { comments: true }): SplitResult {
  const comments = opts.comments !== false;
  const words: Word[] = [];
  let cur = '';
  let start = -1;
  let inWord = false;
  let quote: "'" | '"' | undefined;
  let quoteAt = 0;
  const end = () => {
    if (inWord) words.push({ text: cur, start });
    cur = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      end();
      continue;
    }
    if (c === '#' && comments) break;
    if (!inWord) {
      inWord = true;
      start = i;
    }
    if (c === "'" || c === '"') {
      quote = c;
      quoteAt = i;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return { ok: false, message: 'a backslash at the end of the line escapes nothing', at: i };
      cur += line[++i];
    } else cur += c;
  }
  if (quote) return { ok: false, message: `no closing quotation for the ${quote} opened here`, at: quoteAt };
  end();
  return { ok: true, words };
}
