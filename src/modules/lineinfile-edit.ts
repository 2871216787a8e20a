/**
 * The pure text edit of lineinfile, following ansible-core's lineinfile `present` / `absent` step by step
 * (regexp first, then the exact line, then insertafter/insertbefore; EOF by default). Regular expressions are
 * Python's syntax as far as JavaScript shares it; `(?P<name>…)` and `(?P=name)` are translated.
 */

export interface EditSpec {
  line?: string;
  regexp?: string;
  search_string?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
}

export interface EditResult {
  lines: string[];
  changed: boolean;
  msg: string;
  found?: number;
}

export function pyRegex(src: string): RegExp {
  return new RegExp(src.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
}

/** Splits text into lines that keep their line endings (Python's readlines). */
export function readLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const stripEol = (s: string) => s.replace(/[\r\n]+$/, '');

/** Python's match.expand: \1, \g<1>, \g<name>, \n, \t, \\ in the template. */
export function expandMatch(m: RegExpExecArray, template: string): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|([ntr\\]))/g, (_all, name: string, num: string, esc: string) => {
    if (esc) return esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === 'r' ? '\r' : '\\';
    const key = name ?? num;
    if (/^\d+$/.test(key)) return m[Number(key)] ?? '';
    return m.groups?.[key] ?? '';
  });
}

export function present(input: string[], s: EditSpec): EditResult {
  const lines = [...input];
  const line = s.line as string;
  let insertafter = s.insertafter;
  const insertbefore = s.insertbefore;
  if (insertafter === undefined && insertbefore === undefined) insertafter = 'EOF';
  const reM = s.regexp !== undefined ? pyRegex(s.regexp) : undefined;
  let reIns: RegExp | undefined;
  if (insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF') reIns = pyRegex(insertafter);
  else if (insertbefore !== undefined && insertbefore !== 'BOF') reIns = pyRegex(insertbefore);

  const index = [-1, -1] as [number, number];
  let match: RegExpExecArray | boolean | null = null;
  if (reM) {
    for (let i = 0; i < lines.length; i++) {
      const m = reM.exec(stripEol(lines[i] as string));
      if (m) {
        index[0] = i;
        match = m;
        if (s.firstmatch) break;
      }
    }
  }
  if (s.search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if ((lines[i] as string).includes(s.search_string)) {
        index[0] = i;
        match = true;
        if (s.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      const cur = lines[i] as string;
      if (line === stripEol(cur)) {
        index[0] = i;
      } else if (reIns?.test(stripEol(cur))) {
        if (insertafter !== undefined) {
          index[1] = i + 1;
          if (s.firstmatch) break;
        }
        if (insertbefore !== undefined) {
          index[1] = i;
          if (s.firstmatch) break;
        }
      }
    }
  }
  const sep = '\n';
  const add = (at: number) => {
    lines.splice(at, 0, line + sep);
    return { lines, changed: true, msg: 'line added' };
  };
  const unchanged = { lines, changed: false, msg: '' };
  if (index[0] !== -1) {
    let newLine = s.backrefs && match && typeof match !== 'boolean' ? expandMatch(match, line) : line;
    if (!newLine.endsWith(sep)) newLine += sep;
    if (lines[index[0]] !== newLine) {
      lines[index[0]] = newLine;
      return { lines, changed: true, msg: 'line replaced' };
    }
    return unchanged;
  }
  if (s.backrefs) return unchanged;
  if (insertbefore === 'BOF' || insertafter === 'BOF') return add(0);
  if (insertafter === 'EOF' || index[1] === -1) {
    const last = lines[lines.length - 1];
    if (last !== undefined && !/[\r\n]$/.test(last)) lines.push(sep);
    lines.push(line + sep);
    return { lines, changed: true, msg: 'line added' };
  }
  if (insertafter !== undefined && index[1] !== -1) {
    if (lines.length === index[1]) {
      if (stripEol(lines[index[1] - 1] as string) !== line) {
        lines.push(line + sep);
        return { lines, changed: true, msg: 'line added' };
      }
      return unchanged;
    }
    if (line !== stripEol(lines[index[1]] as string)) return add(index[1]);
    return unchanged;
  }
  return add(index[1]);
}

export function absent(input: string[], s: EditSpec): EditResult {
  const reC = s.regexp !== undefined ? pyRegex(s.regexp) : undefined;
  const found: string[] = [];
  const lines = input.filter((cur) => {
    const hit = reC
      ? reC.test(stripEol(cur))
      : s.search_string !== undefined
        ? cur.includes(s.search_string)
        : s.line === stripEol(cur);
    if (hit) found.push(cur);
    return !hit;
  });
  return {
    lines,
    changed: found.length > 0,
    msg: found.length ? `${found.length} line(s) removed` : '',
    found: found.length,
  };
}
