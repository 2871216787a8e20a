import { shlexSplit as split } from '../shlex.js';

/**
 * Python's `shlex.split(s)` (POSIX mode, no comments), as Ansible's command module splits a free-form command.
 * Throws Error on an unclosed quote or a trailing backslash.
 */
export function shlexSplit(s: string): string[] {
  const r = split(s, { comments: false });
  if (!r.ok) throw new Error(r.message);
  return r.words.map((w) => w.text);
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
