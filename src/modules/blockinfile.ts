import { argError } from './common.js';
import { directoryFile, editArgsSchema, missingFile, pathRequired, pick, readForEdit, writeEdited } from './edit-file.js';
import { pyRegex, readLines } from './lineinfile-edit.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * blockinfile — a block of lines between two marker lines (`# BEGIN ANSIBLE MANAGED BLOCK` …). The block is
 * replaced where its markers are, else inserted after the last line matching `insertafter` (default EOF) or
 * before the last line matching `insertbefore`; `state: absent` (or an empty block) removes it with its markers.
 * The edit follows ansible-core's blockinfile; the write is lineinfile's (atomic, one probe).
 *
 * Returns: msg ('Block inserted', 'Block removed', 'File created', ''), changed, backup_file, diff.
 */
export interface BlockinfileArgs {
  block?: string;
  content?: string;
  marker?: string;
  marker_begin?: string;
  marker_end?: string;
  state?: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  create?: boolean;
  append_newline?: boolean;
  prepend_newline?: boolean;
}

export const blockinfileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...editArgsSchema,
    block: { type: 'string' },
    content: { type: 'string' },
    marker: { type: 'string', minLength: 1 },
    marker_begin: { type: 'string' },
    marker_end: { type: 'string' },
    state: { type: 'string', enum: ['present', 'absent'] },
    insertafter: { type: 'string', minLength: 1 },
    insertbefore: { type: 'string', minLength: 1 },
    create: { type: 'boolean' },
    append_newline: { type: 'boolean' },
    prepend_newline: { type: 'boolean' },
  },
  anyOf: pathRequired,
};

export interface BlockSpec {
  block: string;
  marker: string;
  begin: string;
  end: string;
  present: boolean;
  insertafter?: string;
  insertbefore?: string;
  append_newline?: boolean;
  prepend_newline?: boolean;
}

/** The text edit, as ansible-core's blockinfile (lines compared without their line ending). */
export function editBlock(text: string, s: BlockSpec): { text: string; msg: string } {
  const lines = readLines(text);
  const m0 = s.marker.replace('{mark}', s.begin);
  const m1 = s.marker.replace('{mark}', s.end);
  const sep = '\n';
  const blockLines = !s.present || s.block === '' ? [] : [m0, ...s.block.split(/\r?\n/).filter((l, i, all) => !(i === all.length - 1 && l === '')), m1];
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    const bare = l.replace(/[\r\n]+$/, '');
    if (bare === m0) n0 = i;
    if (bare === m1) n1 = i;
  });
  let at: number;
  if (n0 === undefined || n1 === undefined) {
    const pat = s.insertafter !== undefined && s.insertafter !== 'EOF' ? s.insertafter : s.insertbefore !== undefined && s.insertbefore !== 'BOF' ? s.insertbefore : undefined;
    if (pat !== undefined) {
      const re = pyRegex(pat);
      let found: number | undefined;
      lines.forEach((l, i) => {
        if (re.test(l.replace(/[\r\n]+$/, ''))) found = i;
      });
      if (found === undefined) at = lines.length;
      else at = s.insertafter !== undefined ? found + 1 : found;
    } else at = s.insertbefore !== undefined ? 0 : lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }
  if (at > 0 && !(lines[at - 1] as string).endsWith(sep)) lines[at - 1] += sep;
  if (s.prepend_newline && blockLines.length && at !== 0 && lines[at - 1] !== sep) {
    lines.splice(at, 0, sep);
    at++;
  }
  if (s.append_newline && blockLines.length) {
    const after = at;
    if (after < lines.length && lines[after] !== sep) lines.splice(after, 0, sep);
  }
  lines.splice(at, 0, ...blockLines.map((l) => l + sep));
  const out = lines.join('');
  let msg = '';
  if (out !== text) msg = blockLines.length ? (text === '' ? 'File created' : 'Block inserted') : 'Block removed';
  return { text: out, msg };
}

export const blockinfileModule: ModuleDef<BlockinfileArgs> = {
  name: 'blockinfile',
  summary: 'Insert, update or remove a block of lines between marker lines',
  schema: blockinfileSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    if (a.insertafter !== undefined && a.insertbefore !== undefined)
      throw argError('blockinfile', ctx, 'insertafter and insertbefore are mutually exclusive');
    for (const [k, v] of [['insertafter', a.insertafter], ['insertbefore', a.insertbefore]] as const) {
      if (v === undefined || v === 'EOF' || v === 'BOF') continue;
      try {
        pyRegex(v);
      } catch (e) {
        throw argError('blockinfile', ctx, `${k} is not a valid regular expression: ${(e as Error).message}`);
      }
    }
    const marker = a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK';
    if (!marker.includes('{mark}')) throw argError('blockinfile', ctx, 'marker must contain {mark}');
    const present = (a.state ?? 'present') === 'present';
    const f = await readForEdit(ctx, 'blockinfile');
    if (f.stat.exists && f.stat.type === 'directory') return directoryFile(f.path);
    if (!f.stat.exists) {
      if (!present) return { changed: false, steps: [], result: { changed: false, msg: `File ${f.path} not present` } };
      if (!a.create) return missingFile(ctx, f.path);
    }
    const edit = editBlock(f.text, {
      block: pick<string>(a as Record<string, unknown>, 'block', 'content') ?? '',
      marker,
      begin: a.marker_begin ?? 'BEGIN',
      end: a.marker_end ?? 'END',
      present,
      ...(a.insertafter !== undefined ? { insertafter: a.insertafter } : {}),
      ...(a.insertbefore !== undefined ? { insertbefore: a.insertbefore } : {}),
      ...(a.append_newline !== undefined ? { append_newline: a.append_newline } : {}),
      ...(a.prepend_newline !== undefined ? { prepend_newline: a.prepend_newline } : {}),
    });
    return writeEdited(ctx, 'blockinfile', f, edit.text, { msg: edit.msg });
  },
};

registerModule(blockinfileModule);
