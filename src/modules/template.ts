import { readFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { hostname } from 'node:os';
import { renderString } from '../vars/index.js';
import { argError } from './common.js';
import { attrSpec, type CopyArgs, fileAttrSchema, modeArg, resolveDest, selinuxAt, writeOptionsSchema } from './copy.js';
import { digestBuffer, findLocalFile } from './local-files.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';
import { planWrite } from './lib/write-file.js';

/**
 * template — render a controller Jinja2 file (the role's templates/, then the playbook dir) with the task's
 * variables, then behave as copy: no change when the sha256 matches, atomic replace, backup, validate, a diff.
 * Extra variables while rendering: template_path, template_fullpath, template_destpath, template_host,
 * ansible_managed.
 *
 * Returns: dest, src, checksum (sha1), sha256, size, mode, backup_file, diff.
 */
export interface TemplateArgs extends Omit<CopyArgs, 'content' | 'remote_src' | 'thirsty'> {
  src: string;
  trim_blocks?: boolean;
  lstrip_blocks?: boolean;
}

export const templateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: { type: 'string', minLength: 1 },
    dest: { type: 'string', minLength: 1 },
    ...fileAttrSchema,
    ...writeOptionsSchema,
    trim_blocks: { type: 'boolean' },
    lstrip_blocks: { type: 'boolean' },
  },
};

export const templateModule: ModuleDef<TemplateArgs> = {
  name: 'template',
  summary: 'Render a Jinja2 template on the controller and install it on the host (as copy)',
  schema: templateSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const mode = modeArg('template', ctx, a.mode);
    const local = await findLocalFile(ctx, 'template', 'templates', a.src);
    if (local.isDir) throw argError('template', ctx, `src ${a.src} is a directory, not a template`);
    const source = await readFile(local.path, 'utf8');
    const where = await resolveDest(ctx, a.dest, posix.basename(a.src), 'template');
    const vars = {
      ...ctx.vars,
      template_path: local.path,
      template_fullpath: local.path,
      template_destpath: where.dest,
      template_host: hostname(),
      ansible_managed: ctx.vars.ansible_managed ?? 'Ansible managed',
    };
    const searchPath = [...(ctx.roleDir ? [join(ctx.roleDir, 'templates')] : []), dirname(local.path)];
    const text = renderString(
      source,
      vars,
      { host: ctx.host, field: `template ${a.src}` },
      {
        searchPath,
        ...(a.trim_blocks !== undefined ? { trimBlocks: a.trim_blocks } : {}),
        ...(a.lstrip_blocks !== undefined ? { lstripBlocks: a.lstrip_blocks } : {}),
      },
    );
    const data = Buffer.from(text, 'utf8');
    return selinuxAt(ctx, where.dest, await planWrite(ctx, {
      module: 'template',
      ...attrSpec(a),
      ...(mode ? { mode } : {}),
      ...where,
      source: { kind: 'content', data },
      ...digestBuffer(data),
      text,
      extra: { src: local.path },
    }));
  },
};

registerModule(templateModule);
