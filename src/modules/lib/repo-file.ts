/**
 * A yum/dnf `.repo` file as Python's configparser reads and writes it (what ansible.builtin.yum_repository
 * uses): `[section]` headers, `key = value` or `key: value` (keys lower-cased), continuation lines (leading
 * whitespace) joined with a newline, `#`/`;` comment lines dropped. Written back as configparser writes:
 * sections in file order, `key = value`, a value's newlines as newline + tab, a blank line after each section.
 */
export type RepoSections = Array<{ name: string; entries: Array<[string, string]> }>;

export function parseRepoFile(text: string): RepoSections {
  const out: RepoSections = [];
  let cur: RepoSections[number] | undefined;
  let last: [string, string] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*[#;]/.test(line)) continue;
    if (!line.trim()) {
      last = undefined;
      continue;
    }
    if (/^\s/.test(line) && last) {
      last[1] = `${last[1]}\n${line.trim()}`;
      continue;
    }
    const head = /^\[([^\]]+)\]/.exec(line);
    if (head) {
      const name = head[1] as string;
      cur = out.find((s) => s.name === name) ?? { name, entries: [] };
      if (!out.includes(cur)) out.push(cur);
      last = undefined;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv || !cur) continue;
    const key = (kv[1] as string).trim().toLowerCase();
    const existing = cur.entries.find((e) => e[0] === key);
    if (existing) existing[1] = (kv[2] as string).trim();
    else cur.entries.push([key, (kv[2] as string).trim()]);
    last = cur.entries.find((e) => e[0] === key);
  }
  return out;
}

/** configparser's write(). */
export function writeRepoFile(sections: RepoSections): string {
  return sections.map((s) => `[${s.name}]\n${s.entries.map(([k, v]) => `${k} = ${v.replace(/\n/g, '\n\t')}\n`).join('')}\n`).join('');
}

/** The module's dump(): sections and keys sorted — what decides whether anything changed. */
export function dumpRepo(sections: RepoSections): string {
  const byName = [...sections].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return byName.map((s) => `[${s.name}]\n${[...s.entries].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k} = ${v}\n`).join('')}\n`).join('');
}
