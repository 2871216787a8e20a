import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { argError, failedOp, probe } from './common.js';
import { planCopyTree } from './lib/copy-tree.js';
import { asText, digestBuffer, digestFile, findLocalFile } from './local-files.js';
import { parseMode } from './mode.js';
import { registerModule } from './registry.js';
import { parseStat, statCommand } from './lib/remote-stat.js';
import type { ModuleContext, ModuleDef, Operation } from './types.js';
import { DIFF_LIMIT, planWrite, probeDest, type WriteSpec } from './lib/write-file.js';
import { type SelinuxArgs, selinuxSchema, withSelinux } from './lib/selinux-context.js';

/**
 * copy — put a file on the host: `content` (text) or `src` (a controller file: the role's files/, then the
 * playbook dir; with `remote_src: true` a file already on the host). No change when the sha256 matches and the
 * attributes are right. Written to a temporary file beside dest and renamed into place.
 *
 * Returns: dest, src, checksum (sha1), sha256, size, mode, backup_file (when backup made one), diff (text ≤ 64 KiB).
 */
export interface CopyArgs extends SelinuxArgs {
  src?: string;
  content?: string;
  dest: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  backup?: boolean;
  remote_src?: boolean;
  force?: boolean;
  thirsty?: boolean;
  follow?: boolean;
  validate?: string;
  directory_mode?: string | number;
}

export const fileAttrSchema = {
  mode: { type: ['string', 'integer'] },
  owner: { type: 'string', minLength: 1 },
  group: { type: 'string', minLength: 1 },
  ...selinuxSchema,
} as const;

/** How a written file is put in place (copy, template): backup, overwrite, follow links, validate first. */
export const writeOptionsSchema = {
  backup: { type: 'boolean' },
  force: { type: 'boolean' },
  follow: { type: 'boolean' },
  validate: { type: 'string', minLength: 1 },
} as const;

export const copySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dest'],
  properties: {
    src: { type: 'string', minLength: 1 },
    content: { type: 'string' },
    dest: { type: 'string', minLength: 1 },
    ...fileAttrSchema,
    ...writeOptionsSchema,
    remote_src: { type: 'boolean' },
    thirsty: { type: 'boolean' },
    directory_mode: { type: ['string', 'integer'] },
  },
  oneOf: [{ required: ['src'] }, { required: ['content'] }],
};

export function modeArg(module: string, ctx: { host: string }, mode: unknown) {
  try {
    return parseMode(mode);
  } catch (e) {
    throw argError(module, ctx, (e as Error).message, "write modes as quoted octal strings: mode: '0644'");
  }
}

/** The write spec shared by copy and template once the new content (or source) is known. */
export function attrSpec(a: CopyArgs): Pick<WriteSpec, 'owner' | 'group' | 'backup' | 'force' | 'follow' | 'validate'> {
  const force = a.force ?? a.thirsty;
  return {
    ...(a.owner !== undefined ? { owner: a.owner } : {}),
    ...(a.group !== undefined ? { group: a.group } : {}),
    ...(a.backup !== undefined ? { backup: a.backup } : {}),
    ...(force !== undefined ? { force } : {}),
    ...(a.follow !== undefined ? { follow: a.follow } : {}),
    ...(a.validate !== undefined ? { validate: a.validate } : {}),
  };
}

/** dest ending in '/' or naming an existing directory: the file goes inside, under the source's name. */
export async function resolveDest(
  ctx: ModuleContext<unknown>,
  dest: string,
  srcName: string | undefined,
  module = 'copy',
): Promise<Pick<WriteSpec, 'dest' | 'known'>> {
  if (srcName !== undefined && dest.endsWith('/')) return { dest: posix.join(dest, srcName) };
  const probed = await probeDest(ctx, dest, module);
  if (srcName !== undefined && probed.stat.exists && probed.stat.type === 'directory') {
    return { dest: posix.join(dest, srcName) };
  }
  return { dest, known: probed };
}

async function planCopy(ctx: ModuleContext<CopyArgs>): Promise<Operation> {
  const a = ctx.args;
  const mode = modeArg('copy', ctx, a.mode);
  if (a.src !== undefined && a.content !== undefined)
    throw argError('copy', ctx, 'give either src or content, not both');
  const common = { module: 'copy', ...attrSpec(a), ...(mode ? { mode } : {}) };

  if (a.content !== undefined) {
    const data = Buffer.from(a.content, 'utf8');
    const d = digestBuffer(data);
    const where = await resolveDest(ctx, a.dest, undefined);
    return selinuxAt(ctx, where.dest, await planWrite(ctx, {
      ...common,
      ...where,
      source: { kind: 'content', data },
      ...d,
      text: a.content,
    }));
  }
  const src = a.src as string;
  if (a.remote_src) {
    const s = await probe(ctx, statCommand(src, { follow: true }));
    const st = parseStat(s.stdout);
    if (!st.exists)
      return failedOp(`copy: remote src ${src} does not exist`);
    if (st.type === 'directory')
      throw argError(
        'copy',
        ctx,
        `remote_src ${src} is a directory`,
        'copy single files with remote_src, or run `cp -a` with command',
      );
    if (!st.sha256 || !st.sha1)
      throw argError('copy', ctx, `cannot read remote src ${src}`, 'check its permissions or use become');
    const where = await resolveDest(ctx, a.dest, posix.basename(src));
    return selinuxAt(ctx, where.dest, await planWrite(ctx, {
      ...common,
      ...where,
      source: { kind: 'remote', path: src },
      sha1: st.sha1,
      sha256: st.sha256,
      size: st.size ?? 0,
      extra: { src },
    }));
  }
  const local = await findLocalFile(ctx, 'copy', 'files', src);
  if (local.isDir) {
    const dirMode = modeArg('copy', ctx, a.directory_mode);
    return planCopyTree(ctx, {
      src,
      localDir: local.path,
      dest: a.dest,
      ...(mode ? { mode } : {}),
      ...(dirMode ? { directoryMode: dirMode } : {}),
      ...(a.owner !== undefined ? { owner: a.owner } : {}),
      ...(a.group !== undefined ? { group: a.group } : {}),
      ...((a.force ?? a.thirsty) !== undefined ? { force: (a.force ?? a.thirsty) as boolean } : {}),
    });
  }
  const d = await digestFile(local.path);
  let text: string | undefined;
  if (d.size <= DIFF_LIMIT) text = asText(await readFile(local.path));
  const where = await resolveDest(ctx, a.dest, posix.basename(src));
  return selinuxAt(ctx, where.dest, await planWrite(ctx, {
    ...common,
    ...where,
    source: { kind: 'local', path: local.path },
    ...d,
    ...(text !== undefined ? { text } : {}),
    extra: { src: local.path },
  }));
}

/** The SELinux context of the written file (seuser/serole/setype/selevel), where the host has SELinux on. */
export function selinuxAt(ctx: ModuleContext<SelinuxArgs>, dest: string, op: Operation): Promise<Operation> {
  return withSelinux(ctx, op, dest, ctx.args);
}

export const copyModule: ModuleDef<CopyArgs> = {
  name: 'copy',
  summary: 'Copy a controller file or inline content to the host (idempotent by sha256, atomic replace)',
  schema: copySchema,
  plan: planCopy,
};

registerModule(copyModule);
