import { argError } from './common.js';
import { directoryFile, editArgsSchema, pathRequired, readForEdit, writeEdited } from './edit-file.js';
import { expandMatch, pyRegex } from './lineinfile-edit.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * replace — replace every match of `regexp` (Python syntax as far as JavaScript shares it; multiline: `^`/`$` at
 * each line) with `replace` (`\1`, `\g<name>` back-references), optionally only between `after` and `before`.
 * A missing file fails (as Ansible). The write is lineinfile's (atomic, one probe, diff).
 *
 * Returns: msg ('N replacements made'), changed, backup_file, diff.
 */
export interface ReplaceArgs {
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
  encoding?: string;
}

export const replaceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['regexp'],
  properties: {
    ...editArgsSchema,
    regexp: { type: 'string', minLength: 1 },
    replace: { type: 'string' },
    after: { type: 'string', minLength: 1 },
    before: { type: 'string', minLength: 1 },
    encoding: { type: 'string', enum: ['utf-8', 'utf8', 'UTF-8'] },
  },
  anyOf: pathRequired,
};

function flags(re: RegExp, f: string): RegExp {
  return new RegExp(re.source, f);
}

/** The text edit: returns the new text and how many replacements were made. */
export function replaceText(text: string, regexp: string, replacement: string, after?: string, before?: string): { text: string; count: number } {
  const re = flags(pyRegex(regexp), 'gm');
  let start = 0;
  let end = text.length;
  if (after !== undefined) {
    const m = flags(pyRegex(after), 's').exec(text);
    if (m) start = m.index + m[0].length;
  }
  if (before !== undefined) {
    const m = flags(pyRegex(before), 's').exec(text.slice(start));
    if (m) end = start + m.index;
  }
  const section = text.slice(start, end);
  let count = 0;
  const replaced = section.replace(re, (...args: unknown[]) => {
    count++;
    const hasGroups = typeof args[args.length - 1] === 'object';
    const m = args.slice(0, hasGroups ? -3 : -2) as string[] as unknown as RegExpExecArray;
    if (hasGroups) (m as { groups?: Record<string, string> }).groups = args[args.length - 1] as Record<string, string>;
    return expandMatch(m, replacement);
  });
  return { text: text.slice(0, start) + replaced + text.slice(end), count };
}

export const replaceModule: ModuleDef<ReplaceArgs> = {
  name: 'replace',
  summary: 'Replace every match of a regular expression in a file',
  schema: replaceSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    for (const [k, v] of [['regexp', a.regexp], ['after', a.after], ['before', a.before]] as const) {
      if (v === undefined) continue;
      try {
        pyRegex(v);
      } catch (e) {
        throw argError('replace', ctx, `${k} is not a valid regular expression: ${(e as Error).message}`);
      }
    }
    const f = await readForEdit(ctx, 'replace');
    if (f.stat.exists && f.stat.type === 'directory') return directoryFile(f.path);
    if (!f.stat.exists) return { changed: false, steps: [], result: { changed: false, failed: true, rc: 257, msg: `Path ${f.path} does not exist !` } };
    const r = replaceText(f.text, a.regexp, a.replace ?? '', a.after, a.before);
    if (r.count === 0 || r.text === f.text) {
      // attributes (mode/owner) may still change
      const op = await writeEdited(ctx, 'replace', f, f.text, { msg: '' });
      return op;
    }
    return writeEdited(ctx, 'replace', f, r.text, { msg: `${r.count} replacements made` });
  },
};

registerModule(replaceModule);
