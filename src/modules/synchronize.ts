import { readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { shellJoin, shellQuote } from '../connection/quote.js';
import { argError, probe } from './common.js';
import { copyModule } from './copy.js';
import { findLocalFile } from './local-files.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * synchronize (ansible.posix) — push a controller file or tree to the host. **Not rsync**: the tree goes over the
 * task's own connection as copy's does (one probe of every remote file's sha256; only missing or different files
 * are uploaded), so the host needs no rsync and no second ssh login. `delete: yes` removes what dest holds that
 * src does not. `src: dir/` copies what is inside dir, `src: dir` the directory itself (rsync's rule).
 * Only `mode: push`; rsync-specific options are accepted where they do not change the outcome, refused otherwise.
 */
export interface SynchronizeArgs {
  src: string;
  dest: string;
  mode?: 'push' | 'pull';
  delete?: boolean;
  recursive?: boolean;
  archive?: boolean;
  checksum?: boolean;
  compress?: boolean;
  times?: boolean;
  perms?: boolean;
  links?: boolean;
  owner?: boolean;
  group?: boolean;
  rsync_opts?: string[];
  rsync_timeout?: number;
  use_ssh_args?: boolean;
  verify_host?: boolean;
  partial?: boolean;
}

const ACCEPTED = ['archive', 'checksum', 'compress', 'times', 'perms', 'links', 'owner', 'group', 'use_ssh_args', 'verify_host', 'partial'];

export const synchronizeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: { type: 'string', minLength: 1 },
    dest: { type: 'string', minLength: 1 },
    mode: { type: 'string', enum: ['push', 'pull'] },
    delete: { type: 'boolean' },
    recursive: { type: 'boolean' },
    ...Object.fromEntries(ACCEPTED.map((k) => [k, { type: 'boolean' }])),
    rsync_opts: { type: 'array', items: { type: 'string' } },
    rsync_timeout: { type: 'integer', minimum: 0 },
  },
};

/** Every path under a local directory, relative, files and directories alike. */
async function localNames(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (rel: string) => {
    for (const e of await readdir(rel ? posix.join(dir, rel) : dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.add(r);
      if (e.isDirectory()) await walk(r);
    }
  };
  await walk('');
  return out;
}

export const synchronizeModule: ModuleDef<SynchronizeArgs> = {
  name: 'synchronize',
  summary: 'Push a controller file or tree to the host (over the connection, not rsync); delete extras',
  schema: synchronizeSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    if (a.mode === 'pull') throw argError('synchronize', ctx, 'mode: pull is not supported', 'use fetch for files from the host');
    if (a.rsync_opts?.length)
      throw argError('synchronize', ctx, `rsync_opts ${JSON.stringify(a.rsync_opts)} cannot be honoured: Lifeboat does not run rsync`, 'drop them, or use command with rsync');
    if (a.recursive === false) throw argError('synchronize', ctx, 'recursive: no is not supported', 'copy single files with copy');
    const local = await findLocalFile(ctx, 'synchronize', 'files', a.src);
    const copied = await copyModule.plan({ ...ctx, args: { src: local.path + (a.src.endsWith('/') ? '/' : ''), dest: a.dest } });
    if (!a.delete || !local.isDir) return copied;
    const root = a.src.endsWith('/') ? a.dest : posix.join(a.dest, posix.basename(local.path));
    const names = await localNames(local.path);
    const r = await probe(ctx, `cd ${shellQuote(root)} 2>/dev/null && find . -mindepth 1 -printf '%P\\n'; exit 0`);
    const extra = r.stdout
      .split('\n')
      .filter((n) => n !== '' && !names.has(n))
      .filter((n, _, all) => !all.some((p) => n.startsWith(`${p}/`)));
    if (extra.length === 0) return copied;
    const del: Step = {
      kind: 'exec',
      cmd: `cd ${shellQuote(root)} && ${shellJoin(['rm', '-rf', '--', ...extra])}`,
      description: `delete ${extra.length} path(s) under ${root} that ${a.src} does not have`,
      destructive: `deletes ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''} under ${root}`,
    };
    return { ...copied, changed: true, steps: [del, ...copied.steps], notes: [...(copied.notes ?? []), `delete: ${extra.join(', ')}`] };
  },
};

registerModule(synchronizeModule);
