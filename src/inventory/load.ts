/**
 * `loadInventory(paths)`: every `-i` path — an INI or YAML/JSON file, a directory of them, or a
 * comma-separated host list (`-i 'node1,node2,'`) — merged in order (groups and hosts unite, later
 * values win), then group_vars/ and host_vars/ beside each path applied. All problems of all files are
 * collected and thrown together as `LifeboatErrors`.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { LifeboatError, LifeboatErrors } from '../errors.js';
import { InventoryBuilder } from './builder.js';
import { parseHostEntry } from './hostrange.js';
import { parseIni } from './ini.js';
import type { Inventory } from './types.js';
import { applyVarsDirs, kindOf } from './vars-files.js';
import { parseYamlInventory } from './yaml-inventory.js';

/** Extensions Ansible skips in an inventory directory (INVENTORY_IGNORE_EXTS), plus `.retry`. */
const IGNORED_EXTS = new Set(['.pyc', '.pyo', '.swp', '.bak', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry']);
const IGNORED_NAMES = new Set(['group_vars', 'host_vars', 'vars_plugins']);

export function isIgnoredEntry(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || IGNORED_NAMES.has(name) || IGNORED_EXTS.has(extname(name));
}

/** YAML by extension (.yml/.yaml/.json); INI by `.ini`; otherwise by the first meaningful line. */
export function detectFormat(file: string, text: string): 'yaml' | 'ini' {
  const ext = extname(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return 'yaml';
  if (ext === '.ini') return 'ini';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) return 'ini';
    if (line === '---' || line.startsWith('{') || /^[^\s=]+:(\s|$)/.test(line)) return 'yaml';
    return 'ini';
  }
  return 'ini';
}


/** Inventory files in a directory, recursively, in name order. */
export async function inventoryFilesIn(dir: string): Promise<string[]> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (isIgnoredEntry(e.name)) continue;
    const p = join(dir, e.name);
    const kind = e.isSymbolicLink() ? await kindOf(p) : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : undefined;
    if (kind === 'dir') out.push(...(await inventoryFilesIn(p)));
    else if (kind === 'file') out.push(p);
  }
  return out;
}

function unreadable(path: string, e: unknown): LifeboatError {
  return new LifeboatError('E_INVENTORY', `cannot read inventory path "${path}": ${(e as Error).message}`, {
    hint: 'check that the file or directory exists and is readable',
  });
}

async function loadFile(file: string, b: InventoryBuilder): Promise<LifeboatError[]> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (e) {
    return [unreadable(file, e)];
  }
  b.addSource(resolve(file));
  if (text.startsWith('#!')) {
    return [
      new LifeboatError('E_INVENTORY', 'this looks like a dynamic inventory script, which Lifeboat does not run', {
        src: { file, line: 1, col: 1 },
        hint: 'save its output as a file (e.g. ansible-inventory -i SCRIPT --list -y > hosts.yml) and pass that',
      }),
    ];
  }
  return detectFormat(file, text) === 'yaml' ? parseYamlInventory(file, text, b) : parseIni(file, text, b);
}

function loadHostList(list: string, b: InventoryBuilder): LifeboatError[] {
  const errors: LifeboatError[] = [];
  for (const item of list.split(',').map((s) => s.trim())) {
    if (!item) continue;
    const e = parseHostEntry(item);
    if (!e.ok) {
      errors.push(new LifeboatError('E_INVENTORY', `in host list "${list}": ${e.message}`, { hint: e.hint }));
      continue;
    }
    for (const h of e.hosts) {
      b.host(h, undefined);
      if (e.port !== undefined) b.hostVars(h, { ansible_port: e.port }, 'inline');
    }
  }
  return errors;
}

export async function loadInventory(paths: string[]): Promise<Inventory> {
  const b = new InventoryBuilder();
  const errors: LifeboatError[] = [];
  const bases: string[] = [];
  for (const p of paths) {
    const kind = await kindOf(p);
    if (kind === 'dir') {
      let files: string[];
      try {
        files = await inventoryFilesIn(p);
      } catch (e) {
        errors.push(unreadable(p, e));
        continue;
      }
      if (files.length === 0) {
        errors.push(
          new LifeboatError('E_INVENTORY', `inventory directory "${p}" holds no inventory file`, {
            hint: 'put an INI or YAML inventory file in it (group_vars/ and host_vars/ alone declare no hosts)',
          }),
        );
      }
      for (const f of files) errors.push(...(await loadFile(f, b)));
      bases.push(p);
    } else if (kind === 'file') {
      errors.push(...(await loadFile(p, b)));
      bases.push(dirname(p));
    } else if (p.includes(',')) {
      errors.push(...loadHostList(p, b));
    } else {
      errors.push(
        new LifeboatError('E_INVENTORY', `inventory path "${p}" does not exist`, {
          hint: `check the -i path (a file, a directory, or a comma-separated host list such as "${basename(p)},")`,
        }),
      );
    }
  }
  const seen = new Set<string>();
  for (const base of bases) {
    const key = resolve(base);
    if (seen.has(key)) continue;
    seen.add(key);
    const r = await applyVarsDirs(base, b);
    errors.push(...r.errors);
    for (const f of r.files) b.addSource(resolve(f));
  }
  const { inventory, errors: linkErrors } = b.build();
  errors.push(...linkErrors);
  if (errors.length) throw new LifeboatErrors(errors);
  return inventory;
}
