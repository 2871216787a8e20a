/**
 * group_vars/ and host_vars/ beside an inventory, found as Ansible's host_group_vars plugin finds them:
 * for each group (host) NAME, the first of `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json` that exists; a
 * directory of that name gives every vars file inside it (recursively, in name order; hidden files,
 * backups `~` and other extensions skipped). Files for groups or hosts not in the inventory are ignored.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { LifeboatError } from '../errors.js';
import { yamlPortErrors } from './port-check.js';
import { parseYamlFile, positionOf } from '../yamlpos.js';
import type { InventoryBuilder } from './builder.js';
import type { Vars } from './types.js';

const EXTS = ['', '.yml', '.yaml', '.json'];

/** A path's kind (following links), or undefined when it does not exist. */
export async function kindOf(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** The vars files for one entity in `dir` (group_vars or host_vars), in the order they apply. */
export async function varsFilesFor(dir: string, name: string): Promise<string[]> {
  for (const ext of EXTS) {
    const p = join(dir, name + ext);
    const k = await kindOf(p);
    if (k === 'file') return [p];
    if (k === 'dir') return filesIn(p);
  }
  return [];
}

async function filesIn(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.endsWith('~')) continue;
    const p = join(dir, e.name);
    const ext = extname(e.name);
    const kind = e.isSymbolicLink() ? await kindOf(p) : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : undefined;
    if (kind === 'dir') out.push(...(await filesIn(p)));
    else if (kind === 'file' && (ext === '' || EXTS.includes(ext))) out.push(p);
  }
  return out;
}

/** Read one vars file: a mapping (or empty). */
export async function readVarsFile(file: string): Promise<{ vars: Vars; errors: LifeboatError[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const error = new LifeboatError('E_INVENTORY', `cannot read vars file: ${(e as Error).message}`, {
      src: { file, line: 1, col: 1 },
      hint: 'check that it is a readable file',
    });
    return { vars: {}, errors: [error] };
  }
  if (text.startsWith('$ANSIBLE_VAULT;')) {
    return {
      vars: {},
      errors: [
        new LifeboatError('E_INVENTORY', 'this vars file is encrypted with Ansible Vault, which Lifeboat does not read', {
          src: { file, line: 1, col: 1 },
          hint: 'decrypt it (ansible-vault decrypt FILE), or pass the secret values another way (-e @file)',
        }),
      ],
    };
  }
  const y = parseYamlFile(file, text, { version: '1.1' }); // as Ansible (PyYAML): yes/no are booleans
  if (y.errors.length) return { vars: {}, errors: y.errors };
  if (y.value === null || y.value === undefined) return { vars: {}, errors: [] };
  if (typeof y.value !== 'object' || Array.isArray(y.value)) {
    return {
      vars: {},
      errors: [
        new LifeboatError('E_SCHEMA', `a vars file must be a mapping of variable names, got ${Array.isArray(y.value) ? 'a list' : `a ${typeof y.value}`}`, {
          src: positionOf(y, []),
          hint: 'write one "name: value" a line',
        }),
      ],
    };
  }
  return { vars: y.value as Vars, errors: yamlPortErrors(y) };
}

/**
 * Apply `<base>/group_vars` and `<base>/host_vars` to every group and host the builder knows.
 * Returns the files read (for the plan's input hash) and their problems.
 */
export async function applyVarsDirs(base: string, b: InventoryBuilder): Promise<{ files: string[]; errors: LifeboatError[] }> {
  const files: string[] = [];
  const errors: LifeboatError[] = [];
  const groupDir = join(base, 'group_vars');
  const hostDir = join(base, 'host_vars');
  const targets: Array<[string, string[], (name: string, vars: Vars) => void]> = [
    [groupDir, b.groupNames(), (n, v) => b.groupVars(n, v, 'files')],
    [hostDir, b.hostNames(), (n, v) => b.hostVars(n, v, 'files')],
  ];
  for (const [dir, names, apply] of targets) {
    if ((await kindOf(dir)) !== 'dir') continue;
    for (const name of names) {
      for (const f of await varsFilesFor(dir, name)) {
        const r = await readVarsFile(f);
        files.push(f);
        errors.push(...r.errors);
        apply(name, r.vars);
      }
    }
  }
  return { files, errors };
}
