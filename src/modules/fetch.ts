import { mkdir, stat as lstatLocal } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { argError, failedOp, missingNow, probe } from './common.js';
import { digestFile } from './local-files.js';
import { registerModule } from './registry.js';
import { parseStat, statCommand } from './lib/remote-stat.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * fetch — copy a file from the host to the controller. Without `flat` it lands in
 * `<dest>/<inventory host>/<src path>`; with `flat: true` at `dest` itself (or `dest/<basename>` when dest ends
 * in '/'). A relative dest is relative to the playbook dir. No change when the local sha1 equals the remote one;
 * after a transfer the sha1 is checked (validate_checksum). In a real run the local directory is created.
 *
 * Returns: src, dest (local path), checksum (sha1), remote_checksum, size.
 */
export interface FetchArgs {
  src: string;
  dest: string;
  flat?: boolean;
  fail_on_missing?: boolean;
  validate_checksum?: boolean;
}

export const fetchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: { type: 'string', minLength: 1 },
    dest: { type: 'string', minLength: 1 },
    flat: { type: 'boolean' },
    fail_on_missing: { type: 'boolean' },
    validate_checksum: { type: 'boolean' },
  },
};

export function fetchDest(args: FetchArgs, host: string, playbookDir: string): string {
  const base = isAbsolute(args.dest) ? args.dest : join(playbookDir, args.dest);
  if (args.flat) return args.dest.endsWith('/') ? join(base, posix.basename(args.src)) : base;
  return join(base, host, posix.normalize(args.src).replace(/^\/+/, ''));
}

async function localSha1(path: string): Promise<string | undefined> {
  try {
    if (!(await lstatLocal(path)).isFile()) return undefined;
    return (await digestFile(path)).sha1;
  } catch {
    return undefined;
  }
}

export const fetchModule: ModuleDef<FetchArgs> = {
  name: 'fetch',
  summary: 'Copy a file from the host to the controller',
  schema: fetchSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    if (a.src.endsWith('/')) throw argError('fetch', ctx, `src ${a.src} names a directory; fetch copies single files`);
    const dest = fetchDest(a, ctx.host, ctx.playbookDir);
    const r = await probe(ctx, statCommand(a.src, { follow: true }));
    const st = parseStat(r.stdout);
    const base = { src: a.src, dest, file: a.src };
    if (!st.exists) {
      const msg = 'the remote file does not exist, not transferring, ignored';
      return a.fail_on_missing === false
        ? { changed: false, steps: [], result: { changed: false, msg, ...base } }
        : missingNow(ctx, msg, base, `${a.src} does not exist on the host`);
    }
    if (st.type === 'directory') return failedOp('remote file is a directory, fetch cannot work on directories', base);
    if (!st.sha1)
      return failedOp(`unable to read ${a.src} on the host (permission denied?)`, { ...base, hint: 'use become' });
    const remoteSum = st.sha1;
    const local = await localSha1(dest);
    const result = { ...base, checksum: remoteSum, remote_checksum: remoteSum, size: st.size };
    if (local === remoteSum) return { changed: false, steps: [], result: { changed: false, ...result } };
    if (!ctx.check) await mkdir(dirname(dest), { recursive: true });
    return {
      changed: true,
      steps: [{ kind: 'get', src: a.src, dest, description: `fetch ${a.src} to ${dest}` }],
      result,
      finish: async (outcomes) => {
        const failed = outcomes.find((o) => o.error !== undefined);
        if (failed) return { changed: false, failed: true, msg: failed.error, ...base };
        if (a.validate_checksum !== false) {
          const got = await localSha1(dest);
          if (got !== remoteSum) {
            return {
              changed: true,
              failed: true,
              msg: `checksum mismatch: remote ${remoteSum}, fetched ${got}`,
              ...result,
            };
          }
        }
        return { changed: true, ...result };
      },
    };
  },
};

registerModule(fetchModule);
