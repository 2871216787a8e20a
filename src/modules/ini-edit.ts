/**
 * The text edit of ini_file, as community.general's ini_file does it (Ansible 2.14's collections): lines keep
 * their endings; the option is matched in the section also when commented out (`#opt = x`, `;opt`), and other
 * active occurrences are removed when `exclusive`; a missing option goes after the section's last line that is
 * neither blank nor a comment; a missing section goes at the end. A file whose last line lacks its newline gets
 * one, and that alone counts as a change (as in Ansible).
 */
export interface IniSpec {
  /** No section (null/undefined/''): the options before the first section header. */
  section?: string | null;
  option?: string;
  /** Wanted values (`value` is the one-element form); duplicates are dropped. */
  values: string[];
  state: 'present' | 'absent';
  exclusive: boolean;
  noExtraSpaces: boolean;
  allowNoValue: boolean;
}

export interface IniEdit {
  text: string;
  changed: boolean;
  msg: string;
}

// a section name no file has: stands for "before the first header" and makes the loop uniform
const TOP = '\u0000lifeboat-top';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** [full match, value] of an option line; `commented` also matches `#opt`/`;opt`. */
function optionMatch(option: string, line: string, commented: boolean): { value: string } | undefined {
  const re = new RegExp(`^${commented ? '[#;]?' : ''}[ \\t]*(${escapeRe(option)})[ \\t]*(=|$)[ \\t]*(.*)`);
  const m = re.exec(line.replace(/\r?\n$/, ''));
  return m ? { value: m[3] ?? '' } : undefined;
}

const BLANK_OR_COMMENT = /^[ \t]*([#;].*)?$/;

function splitLines(text: string): string[] {
  const out = text.replace(/^\uFEFF/, '').match(/[^\n]*\n|[^\n]+$/g);
  return out ? [...out] : [];
}

export function editIni(text: string, s: IniSpec): IniEdit {
  const values = [...new Set(s.values)];
  const lines = splitLines(text);
  let changed = false;
  let msg = 'OK';
  if (lines.length === 0) lines.push('\n');
  const last = lines.length - 1;
  if (!(lines[last] as string).endsWith('\n')) {
    lines[last] += '\n';
    changed = true;
  }
  const section = s.section ? s.section : TOP;
  const all = [`[${TOP}]`, ...lines, '['];
  let within = false;
  let start = 0;
  let end = 0;
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as string;
    if (line.startsWith(`[${section}]`)) {
      within = true;
      start = i;
    } else if (line.startsWith('[') && within) {
      end = i;
      break;
    }
  }
  const before = all.slice(0, start);
  let sec = all.slice(start, end);
  const after = all.slice(end);
  const touched = sec.map(() => false);
  const assign = (v: string) => (s.noExtraSpaces ? `${s.option}=${v}\n` : `${s.option} = ${v}\n`);
  const setLine = (i: number, line: string) => {
    if (sec[i] !== line) {
      changed = true;
      msg = 'option changed';
    }
    sec[i] = line;
    touched[i] = true;
  };
  let noValuePresent = false;
  const opt = s.option;

  if (s.state === 'present' && opt) {
    // 1. lines that already hold one of the wanted values (commented or not) take it
    for (let i = 0; i < sec.length; i++) {
      const m = optionMatch(opt, sec[i] as string, true);
      if (!m) continue;
      const at = values.indexOf(m.value);
      if (values.length && at >= 0) {
        if (!m.value && s.allowNoValue) {
          setLine(i, `${opt}\n`);
          noValuePresent = true;
        } else setLine(i, assign(m.value));
        values.splice(at, 1);
      } else if (!values.length && s.allowNoValue) {
        setLine(i, `${opt}\n`);
        noValuePresent = true;
        break;
      }
    }
  }
  if (s.state === 'present' && opt && s.exclusive && !s.allowNoValue) {
    // 2. other lines of the option take the remaining values; 3. the rest of them go
    for (let i = 0; i < sec.length && values.length; i++) {
      if (!touched[i] && optionMatch(opt, sec[i] as string, true)) setLine(i, assign(values.shift() as string));
    }
    for (let i = sec.length - 1; i > 0; i--) {
      if (!touched[i] && optionMatch(opt, sec[i] as string, true)) {
        sec.splice(i, 1);
        touched.splice(i, 1);
        changed = true;
        msg = 'option changed';
      }
    }
  }
  if (s.state === 'present' && within) {
    // 4. what is still missing goes after the section's last line that is neither blank nor a comment
    for (let i = sec.length; i > 0; i--) {
      if (BLANK_OR_COMMENT.test((sec[i - 1] as string).replace(/\r?\n$/, ''))) continue;
      if (opt && values.length) {
        sec.splice(i, 0, ...values.map(assign));
        msg = 'option added';
        changed = true;
      } else if (opt && !values.length && s.allowNoValue && !noValuePresent) {
        sec.splice(i, 0, `${opt}\n`);
        msg = 'option added';
        changed = true;
      }
      break;
    }
  }
  if (s.state === 'absent') {
    if (opt) {
      const kept = s.exclusive
        ? sec.filter((l) => !optionMatch(opt, l, false))
        : sec.filter((l) => {
            const m = optionMatch(opt, l, false);
            return !(m && values.includes(m.value));
          });
      if (kept.length !== sec.length) {
        changed = true;
        msg = 'option changed';
        sec = kept;
      }
    } else if (sec.length) {
      sec = [];
      msg = 'section removed';
      changed = true;
    }
  }
  const out = [...before, ...sec, ...after].slice(1, -1);
  if (!within && s.state === 'present') {
    out.push(`[${section}]\n`);
    msg = 'section and option added';
    if (opt && values.length) out.push(...values.map(assign));
    else if (opt && s.allowNoValue) out.push(`${opt}\n`);
    else msg = 'only section added';
    changed = true;
  }
  return { text: out.join(''), changed, msg };
}
