import { shellQuote } from '../connection/quote.js';
import { argError, failedOp, missingNow, pathArg, pick, probe } from './common.js';
import { modeArg } from './copy.js';
import { digestBuffer } from './local-files.js';
import { parseStat, type RemoteStat, statCommand } from './lib/remote-stat.js';
import type { ModuleContext, Operation } from './types.js';
import { type DestFacts, destExtrasCommand, parseDestExtras, planWrite } from './lib/write-file.js';

/**
 * What blockinfile and replace share with lineinfile: read the whole file with one probe (stat + its text), edit
 * the text on the controller, and write it back through planWrite (atomic, keeps mode/owner) only if it changed.
 */
export interface EditArgs {
  path?: string;
  dest?: string;
  destfile?: string;
  name?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  backup?: boolean;
  validate?: string;
}

export const editArgsSchema = {
  path: { type: 'string', minLength: 1 },
  dest: { type: 'string', minLength: 1 },
  destfile: { type: 'string', minLength: 1 },
  name: { type: 'string', minLength: 1 },
  mode: { type: ['string', 'integer'] },
  owner: { type: 'string', minLength: 1 },
  group: { type: 'string', minLength: 1 },
  backup: { type: 'boolean' },
  validate: { type: 'string', minLength: 1 },
  unsafe_writes: { type: 'boolean', description: 'accepted; writes are always atomic' },
  attributes: { type: 'string', description: 'refused unless empty: chattr attributes are not set' },
  seuser: { type: 'string' },
  serole: { type: 'string' },
  setype: { type: 'string' },
  selevel: { type: 'string' },
} as const;

export const pathRequired = [{ required: ['path'] }, { required: ['dest'] }, { required: ['destfile'] }, { required: ['name'] }];

const MARK = '---lifeboat-content---';

export interface ReadFile {
  path: string;
  stat: RemoteStat;
  facts: Omit<DestFacts, 'stat'>;
  /** The file's text ('' when it does not exist). */
  text: string;
}

export async function readForEdit(ctx: ModuleContext<unknown>, module: string): Promise<ReadFile> {
  const path = pathArg(module, ctx as ModuleContext<unknown> & { args: unknown }, 'dest', 'destfile', 'name');
  const a = ctx.args as EditArgs & { attributes?: string };
  if (a.attributes) throw argError(module, ctx, 'attributes (chattr flags) are not supported', 'set them with a command task: chattr');
  const q = shellQuote(path);
  const r = await probe(
    ctx,
    `(${statCommand(path, { follow: true, checksum: false })}); ${destExtrasCommand(path)}; echo ${MARK}; if [ -f ${q} ]; then cat -- ${q}; fi`,
  );
  const at = r.stdout.indexOf(`${MARK}\n`);
  if (r.rc !== 0 || at < 0) throw argError(module, ctx, `cannot read ${path}: ${r.stderr.trim()}`);
  const head = r.stdout.slice(0, at);
  return { path, stat: parseStat(head), facts: parseDestExtras(head), text: r.stdout.slice(at + MARK.length + 1) };
}

/** A missing file: Ansible's messages for a file that is absent and may not be created. */
export function missingFile(ctx: ModuleContext<unknown>, path: string): Operation {
  return missingNow(ctx, `Path ${path} does not exist !`, { rc: 257, hint: 'set create: true to make it' }, `${path} does not exist`);
}

export function directoryFile(path: string): Operation {
  return failedOp(`Path ${path} is a directory !`, { rc: 256 });
}

/** Writes `after` (the edited text) when it differs from the file; the result carries `extra` (msg, …). */
export async function writeEdited(
  ctx: ModuleContext<unknown>,
  module: string,
  f: ReadFile,
  after: string,
  extra: Record<string, unknown>,
): Promise<Operation> {
  const a = ctx.args as EditArgs;
  const mode = modeArg(module, ctx, a.mode);
  const data = Buffer.from(after, 'utf8');
  const d = digestBuffer(data);
  const st = { ...f.stat };
  if (st.exists) st.sha256 = digestBuffer(Buffer.from(f.text, 'utf8')).sha256;
  return planWrite(ctx, {
    module,
    dest: f.path,
    source: { kind: 'content', data },
    ...d,
    text: after,
    ...(mode ? { mode } : {}),
    ...(a.owner !== undefined ? { owner: a.owner } : {}),
    ...(a.group !== undefined ? { group: a.group } : {}),
    ...(a.backup !== undefined ? { backup: a.backup } : {}),
    ...(a.validate !== undefined ? { validate: a.validate } : {}),
    makeParents: true,
    known: { stat: st, ...f.facts, before: f.text },
    extra,
  });
}

export { pick };
