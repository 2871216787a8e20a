import { failedOp, pathArg, probe } from './common.js';
import { formatMode } from './mode.js';
import { registerModule } from './registry.js';
import { parseStat, type RemoteStat, statCommand } from './lib/remote-stat.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * stat — facts about a remote path, read-only (never a change). One command.
 *
 * Returns `stat`: exists; when it exists also isdir, isreg, islnk, isblk, ischr, isfifo, issock, size, mode
 * ('0644'), uid, gid, pw_name, gr_name, mtime, atime, ctime, inode, dev, nlinks, readable, writeable,
 * executable, lnk_target/lnk_source (links), and for regular files checksum (sha1, or sha256 with
 * checksum_algorithm: sha256) and sha256.
 */
export interface StatArgs {
  path?: string;
  dest?: string;
  name?: string;
  follow?: boolean;
  get_checksum?: boolean;
  checksum_algorithm?: 'sha1' | 'sha256';
  checksum_algo?: 'sha1' | 'sha256';
  checksum?: 'sha1' | 'sha256';
  get_mime?: boolean;
  get_attributes?: boolean;
}

const algo = { type: 'string', enum: ['sha1', 'sha256'] };

export const statSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', minLength: 1 },
    dest: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    follow: { type: 'boolean' },
    get_checksum: { type: 'boolean' },
    checksum_algorithm: algo,
    checksum_algo: algo,
    checksum: algo,
    get_mime: {
      type: 'boolean',
      description: 'accepted for compatibility; mime types are not reported',
    },
    get_attributes: {
      type: 'boolean',
      description: 'accepted for compatibility; attributes are not reported',
    },
  },
  anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['name'] }],
};

/** Ansible's `stat` dictionary from a RemoteStat. */
export function ansibleStat(st: RemoteStat, checksumAlgo: 'sha1' | 'sha256' = 'sha1'): Record<string, unknown> {
  if (!st.exists) return { exists: false };
  const out: Record<string, unknown> = {
    exists: true,
    isdir: st.type === 'directory',
    isreg: st.type === 'file',
    islnk: st.type === 'link',
    isblk: st.type === 'block',
    ischr: st.type === 'char',
    isfifo: st.type === 'fifo',
    issock: st.type === 'socket',
    size: st.size,
    mode: st.mode === undefined ? undefined : formatMode(st.mode),
    uid: st.uid,
    gid: st.gid,
    pw_name: st.owner,
    gr_name: st.group,
    mtime: st.mtime,
    atime: st.atime,
    ctime: st.ctime,
    inode: st.inode,
    dev: st.dev,
    nlink: st.nlink,
    readable: st.readable,
    writeable: st.writeable,
    executable: st.executable,
  };
  if (st.mode !== undefined) {
    out.xusr = (st.mode & 0o100) !== 0;
    out.isuid = (st.mode & 0o4000) !== 0;
    out.isgid = (st.mode & 0o2000) !== 0;
  }
  if (st.lnkTarget !== undefined) out.lnk_target = st.lnkTarget;
  if (st.lnkSource !== undefined) out.lnk_source = st.lnkSource;
  if (st.sha1 !== undefined) out.checksum = checksumAlgo === 'sha256' ? st.sha256 : st.sha1;
  if (st.sha256 !== undefined) out.sha256 = st.sha256;
  return out;
}

export const statModule: ModuleDef<StatArgs> = {
  name: 'stat',
  summary: 'Facts about a remote file or directory (read-only)',
  schema: statSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const path = pathArg('stat', ctx, 'dest', 'name');
    const r = await probe(
      ctx,
      statCommand(path, {
        follow: a.follow ?? false,
        checksum: a.get_checksum ?? true,
      }),
    );
    if (r.rc !== 0) {
      return failedOp(`stat ${path}: ${r.stderr.trim()}`);
    }
    const st = parseStat(r.stdout);
    const algorithm = a.checksum_algorithm ?? a.checksum_algo ?? a.checksum ?? 'sha1';
    return {
      changed: false,
      steps: [],
      result: { changed: false, stat: { path, ...ansibleStat(st, algorithm) } },
    };
  },
};

registerModule(statModule);
