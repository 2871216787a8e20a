import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LifeboatError, LifeboatErrors } from '../errors.js';
import { readVarsFile } from '../inventory/vars-files.js';
import type { Vars } from '../inventory/types.js';
import { argError } from './common.js';
import { findLocalFile } from './local-files.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * include_vars — load variables from a YAML/JSON file or every such file of a directory, on the controller, into
 * the host's variables for the rest of the run (the same level as `set_fact`, above play and role vars). A
 * relative path is looked up in the role's `vars/`, the role dir, the playbook's `vars/`, then the playbook dir.
 * `dir` reads files sorted by name (`extensions`, `files_matching`, `ignore_files`, `depth`); `name` puts
 * everything under one variable. Never a change; the plan reads the files too.
 *
 * Returns: ansible_facts (the variables), ansible_included_var_files.
 */
export interface IncludeVarsArgs {
  _raw_params?: string;
  file?: string;
  dir?: string;
  name?: string;
  depth?: number;
  files_matching?: string;
  ignore_files?: string[] | string;
  extensions?: string[];
  ignore_unknown_extensions?: boolean;
  hash_behaviour?: 'replace' | 'merge';
}

export const includeVarsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    _raw_params: { type: 'string', minLength: 1 },
    file: { type: 'string', minLength: 1 },
    dir: { type: 'string', minLength: 1 },
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    depth: { type: 'integer', minimum: 0 },
    files_matching: { type: 'string', minLength: 1 },
    ignore_files: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }] },
    extensions: { type: 'array', items: { type: 'string' } },
    ignore_unknown_extensions: { type: 'boolean' },
    hash_behaviour: { type: 'string', enum: ['replace'], description: 'merge is not supported' },
  },
  anyOf: [{ required: ['_raw_params'] }, { required: ['file'] }, { required: ['dir'] }],
};

const DEFAULT_EXT = ['json', 'yml', 'yaml'];

async function listDir(root: string, depth: number, level = 1): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(root, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = join(root, e.name);
    if (e.isDirectory()) {
      if (depth === 0 || level < depth) out.push(...(await listDir(p, depth, level + 1)));
    } else out.push(p);
  }
  return out;
}

async function readOne(module: string, host: string, file: string): Promise<Vars> {
  const { vars, errors } = await readVarsFile(file);
  if (errors.length) throw new LifeboatErrors(errors.map((e) => new LifeboatError(e.code, `${module}: ${e.message}`, { ...(e.src ? { src: e.src } : {}), host })));
  return vars;
}

export const includeVarsModule: ModuleDef<IncludeVarsArgs> = {
  name: 'include_vars',
  summary: 'Load variables from a YAML/JSON file or directory (controller side)',
  schema: includeVarsSchema,
  freeForm: true,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const file = a.file ?? (a._raw_params?.trim() || undefined);
    if (file !== undefined && a.dir !== undefined) throw argError('include_vars', ctx, 'give file or dir, not both');
    const files: string[] = [];
    if (a.dir !== undefined) {
      const found = await findLocalFile(ctx, 'include_vars', 'vars', a.dir);
      if (!found.isDir) throw argError('include_vars', ctx, `dir ${a.dir} is not a directory (${found.path})`);
      const exts = a.extensions ?? DEFAULT_EXT;
      const ignore = typeof a.ignore_files === 'string' ? [a.ignore_files] : (a.ignore_files ?? []);
      let matching: RegExp | undefined;
      try {
        matching = a.files_matching ? new RegExp(a.files_matching) : undefined;
      } catch (e) {
        throw argError('include_vars', ctx, `files_matching is not a valid regular expression: ${(e as Error).message}`);
      }
      for (const p of await listDir(found.path, a.depth ?? 0)) {
        const base = p.slice(p.lastIndexOf('/') + 1);
        const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
        if (ignore.some((i) => new RegExp(i).test(base))) continue;
        if (matching && !matching.test(base)) continue;
        if (!exts.includes(ext)) {
          if (a.ignore_unknown_extensions) continue;
          // as Ansible: a file with another extension in the directory is an error unless ignored
          throw argError('include_vars', ctx, `${relative(found.path, p)} does not have a valid extension: ${exts.join(', ')}`, 'set ignore_unknown_extensions: true or ignore_files');
        }
        files.push(p);
      }
    } else if (file !== undefined) {
      const found = await findLocalFile(ctx, 'include_vars', 'vars', file);
      if (found.isDir) throw argError('include_vars', ctx, `${file} is a directory; use dir:`);
      const s = await stat(found.path);
      if (s.isFile()) files.push(found.path);
    } else throw argError('include_vars', ctx, 'give a file (free form or file:) or dir');
    let vars: Vars = {};
    for (const f of files) vars = { ...vars, ...(await readOne('include_vars', ctx.host, f)) };
    const facts = a.name ? { [a.name]: vars } : vars;
    return {
      changed: false,
      steps: [],
      result: { changed: false, ansible_facts: facts, ansible_included_var_files: files },
    };
  },
};

registerModule(includeVarsModule);
