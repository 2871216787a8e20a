import { directoryFile, editArgsSchema, readForEdit, writeEdited } from './edit-file.js';
import { editIni } from './ini-edit.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * ini_file (community.general.ini_file) — set, change or remove one option of an INI-style file, or a whole
 * section, keeping the rest of the file as it is (modules/ini-edit.ts has the edit). One probe reads the file;
 * the write is lineinfile's (atomic, keeps mode and owner, diff in plans). A missing file is made (and its
 * directories) unless `create: false`.
 *
 * Returns: msg ('OK', 'option added', 'option changed', 'section and option added', 'only section added',
 * 'section removed'), changed, backup_file, diff.
 */
export interface IniFileArgs {
  path?: string;
  dest?: string;
  section?: string | null;
  option?: string;
  value?: string | number | boolean | null;
  values?: Array<string | number | boolean>;
  state?: 'present' | 'absent';
  exclusive?: boolean;
  no_extra_spaces?: boolean;
  allow_no_value?: boolean;
  create?: boolean;
}

const scalar = { type: ['string', 'number', 'boolean'] };

export const iniFileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...editArgsSchema,
    section: { type: ['string', 'null'] },
    option: { type: 'string', minLength: 1 },
    value: { type: ['string', 'number', 'boolean', 'null'] },
    values: { type: 'array', items: scalar },
    state: { type: 'string', enum: ['present', 'absent'] },
    exclusive: { type: 'boolean' },
    no_extra_spaces: { type: 'boolean' },
    allow_no_value: { type: 'boolean' },
    create: { type: 'boolean' },
    ignore_spaces: { type: 'boolean', description: 'accepted; spaces around = are ignored when matching already' },
  },
  anyOf: [{ required: ['path'] }, { required: ['dest'] }],
};

/** Python's str() of a YAML scalar, as the module receives it. */
function str(v: string | number | boolean): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
}

export const iniFileModule: ModuleDef<IniFileArgs> = {
  name: 'ini_file',
  summary: 'Set, change or remove an option (or a section) of an INI-style file',
  schema: iniFileSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const f = await readForEdit(ctx, 'ini_file');
    if (f.stat.exists && f.stat.type === 'directory') return directoryFile(f.path);
    if (!f.stat.exists && a.create === false) {
      return { changed: false, steps: [], result: { changed: false, failed: true, rc: 257, msg: `Destination ${f.path} does not exist!` } };
    }
    const values = a.values ? a.values.map(str) : a.value !== undefined && a.value !== null ? [str(a.value)] : [];
    const r = editIni(f.text, {
      ...(a.section !== undefined ? { section: a.section } : {}),
      ...(a.option !== undefined ? { option: a.option } : {}),
      values,
      state: a.state ?? 'present',
      exclusive: a.exclusive ?? true,
      noExtraSpaces: a.no_extra_spaces ?? false,
      allowNoValue: a.allow_no_value ?? false,
    });
    if (!r.changed && !f.stat.exists) return { changed: false, steps: [], result: { changed: false, msg: r.msg } };
    return writeEdited(ctx, 'ini_file', f, r.changed ? r.text : f.text, { msg: r.msg });
  },
};

registerModule(iniFileModule);
