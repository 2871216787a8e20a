/**
 * INI inventories, read as Ansible's `ini` inventory plugin reads them:
 *   [group]            host lines: `name[:port] key=value …` (shlex words; ranges like node[1:3])
 *   [group:children]   one child group name a line
 *   [group:vars]       `key=value` a line (the value is the rest of the line)
 * Lines before any section are hosts of `ungrouped`. `#` and `;` start comment lines; `#` also ends a
 * host line. Values are Python literals where they spell one, else the text as written (see pyliteral.ts);
 * `{{ }}` templates are kept raw. A [g:vars] or [g:children] entry naming a group declared nowhere is
 * an error, as in Ansible.
 */
import { LifeboatError, nearest, type SourceRef } from '../errors.js';
import type { InventoryBuilder } from './builder.js';
import { parseHostEntry } from './hostrange.js';
import { portError } from './port-check.js';
import { iniValue } from './pyliteral.js';
import { shlexSplit } from '../shlex.js';
import type { Vars } from './types.js';

type State = 'hosts' | 'children' | 'vars';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

export function parseIni(file: string, text: string, b: InventoryBuilder): LifeboatError[] {
  const errors: LifeboatError[] = [];
  const declared = new Set(b.groupNames());
  const varsSections: Array<{ group: string; src: SourceRef }> = [];
  const childRefs: Array<{ parent: string; child: string; src: SourceRef }> = [];
  let group = 'ungrouped';
  let state: State = 'hosts';
  const lines = text.split(/\r?\n/);
  const err = (message: string, src: SourceRef, hint: string) =>
    errors.push(new LifeboatError('E_INVENTORY', message, { src, hint }));

  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const line = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    const at = (offset = 0): SourceRef => ({ file, line: lineNo, col: indent + offset + 1 });
    if (!line || line.startsWith('#') || line.startsWith(';')) return;

    const m = SECTION.exec(line);
    if (m) {
      group = m[1] as string;
      const tag = m[2] ?? 'hosts';
      if (tag !== 'hosts' && tag !== 'children' && tag !== 'vars') {
        err(`section [${group}:${tag}] has unknown type "${tag}"`, at(group.length + 2), `use [${group}], [${group}:children] or [${group}:vars]`);
        state = 'hosts';
        group = '\u0000invalid';
        return;
      }
      state = tag;
      if (state === 'vars') varsSections.push({ group, src: at(1) });
      else {
        declared.add(group);
        b.group(group, at(1));
      }
      return;
    }
    if (line.startsWith('[')) {
      err(
        `invalid section header "${line}"`,
        at(),
        'a section is [group], [group:children] or [group:vars], with no spaces inside the brackets',
      );
      group = '\u0000invalid';
      state = 'hosts';
      return;
    }
    if (group === '\u0000invalid') return; // already reported the section; skip its body

    if (state === 'children') {
      const c = GROUP_NAME.exec(line);
      if (!c) {
        err(`expected a group name, got "${line}"`, at(), `list one child group name a line under [${group}:children]`);
        return;
      }
      childRefs.push({ parent: group, child: c[1] as string, src: at() });
      return;
    }

    if (state === 'vars') {
      const eq = line.indexOf('=');
      const key = eq < 0 ? '' : line.slice(0, eq).trim();
      if (eq < 0 || !key) {
        err(`expected key=value, got "${line}"`, at(), `write one variable a line under [${group}:vars], e.g. etcd_port=2379`);
        return;
      }
      const value = iniValue(line.slice(eq + 1).trim());
      const pe = portError(key, value, at(eq + 1));
      if (pe) errors.push(pe);
      b.groupVars(group, { [key]: value }, 'inline');
      return;
    }

    // a host line
    const split = shlexSplit(line);
    if (!split.ok) {
      err(`cannot read host line: ${split.message}`, at(split.at), 'close the quote, or escape it with a backslash');
      return;
    }
    const [first, ...rest] = split.words;
    if (!first) return; // only a comment after all
    if (first.text === '---') {
      err('"---" in an INI inventory', at(first.start), 'this looks like a YAML file: name it .yml or .yaml');
      return;
    }
    const entry = parseHostEntry(first.text);
    if (!entry.ok) {
      err(entry.message, at(first.start + entry.at), entry.hint);
      return;
    }
    const vars: Vars = {};
    let bad = false;
    for (const w of rest) {
      const eq = w.text.indexOf('=');
      if (eq <= 0) {
        err(
          `expected key=value after the host name, got "${w.text}"`,
          at(w.start),
          'host variables are key=value; quote values with spaces: key="a b"',
        );
        bad = true;
        continue;
      }
      const key = w.text.slice(0, eq);
      vars[key] = iniValue(w.text.slice(eq + 1));
      const pe = portError(key, vars[key], at(w.start + eq + 1));
      if (pe) {
        errors.push(pe);
        bad = true;
      }
    }
    if (bad) return;
    if (entry.port !== undefined) vars.ansible_port = entry.port;
    for (const h of entry.hosts) {
      b.host(h, group, at(first.start));
      b.hostVars(h, vars, 'inline');
    }
  });

  for (const ref of childRefs) {
    if (declared.has(ref.child)) b.child(ref.parent, ref.child, ref.src);
    else err(`[${ref.parent}:children] includes undefined group "${ref.child}"`, ref.src, undeclaredHint(ref.child, declared));
  }
  for (const v of varsSections) {
    if (!declared.has(v.group)) {
      err(`[${v.group}:vars] is for group "${v.group}", which is not declared`, v.src, undeclaredHint(v.group, declared));
    }
  }
  return errors;
}

function undeclaredHint(name: string, declared: Set<string>): string {
  const near = nearest(name, declared);
  return near ? `did you mean "${near}"?` : `declare it with a [${name}] section (it may be empty), or remove this entry`;
}
