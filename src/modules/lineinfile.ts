import { shellQuote } from '../connection/quote.js';
import { argError, failedOp, missingNow, pathArg, pick, probe } from './common.js';
import { modeArg } from './copy.js';
import { absent, type EditSpec, present, readLines } from './lineinfile-edit.js';
import { digestBuffer } from './local-files.js';
import { registerModule } from './registry.js';
import { parseStat, statCommand } from './lib/remote-stat.js';
import type { ModuleDef, Operation } from './types.js';
import { destExtrasCommand, parseDestExtras, planWrite } from './lib/write-file.js';

/**
 * lineinfile — make sure one line is in a file (or, state: absent, that no line matches). Reads the file with one
 * probe, edits it on the controller exactly as Ansible's lineinfile does, and writes it back atomically (keeping
 * its mode and owner) only when the text changed. `create: true` makes a missing file (and its directories).
 *
 * Returns: msg ('line added', 'line replaced', 'N line(s) removed'), changed, backup_file, found (absent),
 * diff of the whole file.
 */
export interface LineinfileArgs extends EditSpec {
  path?: string;
  dest?: string;
  destfile?: string;
  name?: string;
  regex?: string;
  value?: string;
  state?: 'present' | 'absent';
  create?: boolean;
  backup?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
  validate?: string;
}

export const lineinfileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', minLength: 1 },
    dest: { type: 'string', minLength: 1 },
    destfile: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    line: { type: 'string' },
    value: { type: 'string' },
    regexp: { type: 'string' },
    regex: { type: 'string' },
    search_string: { type: 'string' },
    insertafter: { type: 'string' },
    insertbefore: { type: 'string' },
    state: { type: 'string', enum: ['present', 'absent'] },
    backrefs: { type: 'boolean' },
    firstmatch: { type: 'boolean' },
    create: { type: 'boolean' },
    backup: { type: 'boolean' },
    mode: { type: ['string', 'integer'] },
    owner: { type: 'string', minLength: 1 },
    group: { type: 'string', minLength: 1 },
    validate: { type: 'string', minLength: 1 },
  },
  anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['destfile'] }, { required: ['name'] }],
};

const MARK = '---lifeboat-content---';

export const lineinfileModule: ModuleDef<LineinfileArgs> = {
  name: 'lineinfile',
  summary: 'Ensure a line is present in (or absent from) a text file',
  schema: lineinfileSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const path = pathArg('lineinfile', ctx, 'dest', 'destfile', 'name');
    const line = pick<string>(a as Record<string, unknown>, 'line', 'value');
    const regexp = pick<string>(a as Record<string, unknown>, 'regexp', 'regex');
    const spec: EditSpec = {
      ...(line !== undefined ? { line } : {}),
      ...(regexp !== undefined ? { regexp } : {}),
      ...(a.search_string !== undefined ? { search_string: a.search_string } : {}),
      ...(a.insertafter !== undefined ? { insertafter: a.insertafter } : {}),
      ...(a.insertbefore !== undefined ? { insertbefore: a.insertbefore } : {}),
      ...(a.backrefs !== undefined ? { backrefs: a.backrefs } : {}),
      ...(a.firstmatch !== undefined ? { firstmatch: a.firstmatch } : {}),
    };
    const state = a.state ?? 'present';
    if (spec.insertafter !== undefined && spec.insertbefore !== undefined)
      throw argError('lineinfile', ctx, 'insertafter and insertbefore are mutually exclusive');
    if (spec.regexp !== undefined && spec.search_string !== undefined)
      throw argError('lineinfile', ctx, 'regexp and search_string are mutually exclusive');
    if (spec.backrefs && spec.search_string !== undefined)
      throw argError('lineinfile', ctx, 'backrefs and search_string are mutually exclusive');
    if (state === 'present') {
      if (spec.backrefs && spec.regexp === undefined)
        throw argError('lineinfile', ctx, 'regexp is required with backrefs=true');
      if (spec.line === undefined) throw argError('lineinfile', ctx, 'line is required with state=present');
    } else if (spec.line === undefined && spec.regexp === undefined && spec.search_string === undefined) {
      throw argError('lineinfile', ctx, 'one of line, search_string, or regexp is required with state=absent');
    }
    for (const [k, v] of [
      ['regexp', spec.regexp],
      ['insertafter', spec.insertafter],
      ['insertbefore', spec.insertbefore],
    ] as const) {
      if (v === undefined || v === 'BOF' || v === 'EOF') continue;
      try {
        new RegExp(v.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
      } catch (e) {
        throw argError('lineinfile', ctx, `${k} is not a valid regular expression: ${(e as Error).message}`);
      }
    }
    const mode = modeArg('lineinfile', ctx, a.mode);

    const q = shellQuote(path);
    const r = await probe(
      ctx,
      `(${statCommand(path, { follow: true, checksum: false })}); ${destExtrasCommand(path)}; echo ${MARK}; if [ -f ${q} ]; then cat -- ${q}; fi`,
    );
    const at = r.stdout.indexOf(`${MARK}\n`);
    if (r.rc !== 0 || at < 0) throw argError('lineinfile', ctx, `cannot read ${path}: ${r.stderr.trim()}`);
    const head = r.stdout.slice(0, at);
    const before = r.stdout.slice(at + MARK.length + 1);
    const st = parseStat(head);
    if (st.exists && st.type === 'directory') return failedOp(`Path ${path} is a directory !`, { rc: 256 });

    if (!st.exists) {
      if (state === 'absent') return { changed: false, steps: [], result: { changed: false, msg: 'file not present' } };
      if (!a.create)
        return missingNow(
          ctx,
          `Destination ${path} does not exist !`,
          { rc: 257, hint: 'set create: true to make it' },
          `${path} does not exist`,
        );
    }
    const edit = state === 'present' ? present(readLines(before), spec) : absent(readLines(before), spec);
    const text = edit.lines.join('');
    const data = Buffer.from(text, 'utf8');
    const d = digestBuffer(data);
    if (st.exists) st.sha256 = digestBuffer(Buffer.from(before, 'utf8')).sha256;
    const op = await planWrite(ctx, {
      module: 'lineinfile',
      dest: path,
      source: { kind: 'content', data },
      ...d,
      text,
      ...(mode ? { mode } : {}),
      ...(a.owner !== undefined ? { owner: a.owner } : {}),
      ...(a.group !== undefined ? { group: a.group } : {}),
      ...(a.backup !== undefined ? { backup: a.backup } : {}),
      ...(a.validate !== undefined ? { validate: a.validate } : {}),
      makeParents: true,
      known: { stat: st, ...parseDestExtras(head), before },
      extra: { msg: edit.msg, ...(edit.found !== undefined ? { found: edit.found } : {}) },
    });
    return op;
  },
};

registerModule(lineinfileModule);
