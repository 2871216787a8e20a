import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { LifeboatError } from '../errors.js';
import { needsSudo } from './command.js';
import { shellQuote } from './quote.js';
import type { ExecOptions, ExecResult, PutOptions } from './types.js';

/**
 * put/get on top of a raw byte mover (SFTP or the local file system) and exec. A file is written under a
 * temporary name in the destination's directory and renamed into place, so a half-copied file never sits at
 * the destination. A root login writes in place (with become, the file then belongs to the become user unless
 * `owner` is given). A non-root login with become (to root) stages the bytes in a temporary file of its own and
 * `sudo mv` moves them next to the destination, where the final rename happens. Becoming a non-root user
 * from a non-root login is refused for transfers (E_USAGE): the staged file would have to be world-readable.
 */

export interface ByteMover {
  host: string;
  loginUser: string;
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Streams src to `path` (created with `mode`, default 0600), never holding a file whole in memory. */
  upload(src: string | Buffer | Readable, path: string, mode?: number): Promise<void>;
  /** Streams the file at `path` to the local file `localPath`. */
  download(path: string, localPath: string): Promise<void>;
  /** A directory where the login user may create files (e.g. /tmp). */
  tmpDir: string;
}

export interface TransferDefaults {
  become: boolean;
  becomeUser: string;
}

/**
 * Whether the bytes must be staged as the login user and moved by sudo: only when a non-root login user
 * becomes someone. A root login writes in place and only sets the owner.
 */
function staged(m: ByteMover, become: boolean, becomeUser: string, what: string): boolean {
  if (!become || m.loginUser === 'root' || !needsSudo({ become, becomeUser, loginUser: m.loginUser })) return false;
  if (becomeUser !== 'root') {
    throw new LifeboatError(
      'E_USAGE',
      `${what} with become_user ${becomeUser} from login user ${m.loginUser} is not supported`,
      { host: m.host, hint: `become root instead (become_user: root) and set owner: ${becomeUser}` },
    );
  }
  return true;
}

function tmpName(dir: string, base: string): string {
  return posix.join(dir, `.${base}.lifeboat-${randomBytes(6).toString('hex')}`);
}

function fail(m: ByteMover, what: string, r: ExecResult): never {
  const why = (r.stderr || r.stdout).trim() || `exit code ${r.rc}`;
  throw new LifeboatError('E_TASK', `${what} on ${m.host} failed: ${why}`, { host: m.host });
}

export async function putFile(
  m: ByteMover,
  src: string | Buffer | Readable,
  dest: string,
  opts: PutOptions,
  d: TransferDefaults,
): Promise<void> {
  const become = opts.become ?? d.become;
  const sudo = staged(m, become, d.becomeUser, `put ${dest}`);
  const inPlace = tmpName(posix.dirname(dest), posix.basename(dest));
  const staging = sudo ? tmpName(m.tmpDir, posix.basename(dest)) : inPlace;
  try {
    await m.upload(src, staging, sudo ? 0o600 : (opts.mode ?? 0o644));
  } catch (e) {
    await m.exec(`rm -f ${shellQuote(staging)}`).catch(() => undefined);
    if (e instanceof LifeboatError) throw e;
    throw new LifeboatError('E_TASK', `upload to ${m.host}:${dest} failed: ${(e as Error).message}`, {
      host: m.host,
      cause: e,
    });
  }
  // With become, the file belongs to the become user unless an owner is given (as Ansible).
  const becomeOwner = become && d.becomeUser !== m.loginUser && !opts.owner;
  const owner = opts.owner ?? (becomeOwner ? d.becomeUser : undefined);
  const group = opts.group ?? (becomeOwner ? '' : undefined);
  const steps: string[] = [];
  if (staging !== inPlace) steps.push(`mv -f ${shellQuote(staging)} ${shellQuote(inPlace)}`);
  if (owner !== undefined || group !== undefined) {
    const spec = group === undefined ? `${owner}` : `${owner ?? ''}:${group}`;
    steps.push(`chown ${shellQuote(spec)} ${shellQuote(inPlace)}`);
  }
  steps.push(`chmod ${(opts.mode ?? 0o644).toString(8).padStart(4, '0')} ${shellQuote(inPlace)}`);
  steps.push(`mv -f ${shellQuote(inPlace)} ${shellQuote(dest)}`);
  const cleanup = `rm -f ${shellQuote(staging)} ${shellQuote(inPlace)}`;
  const cmd = `{ ${steps.join(' && ')}; } || { lb_rc=$?; ${cleanup}; exit $lb_rc; }`;
  const r = await m.exec(cmd, { become: sudo });
  if (r.rc !== 0) fail(m, `installing ${dest}`, r);
}

export async function getFile(
  m: ByteMover,
  src: string,
  localDest: string,
  opts: { become?: boolean },
  d: TransferDefaults,
): Promise<void> {
  const become = opts.become ?? d.become;
  const sudo = staged(m, become, d.becomeUser, `get ${src}`);
  const localTmp = tmpName(posix.dirname(localDest), posix.basename(localDest));
  let readable = src;
  if (sudo) {
    readable = tmpName(m.tmpDir, posix.basename(src));
    const r = await m.exec(
      `cp ${shellQuote(src)} ${shellQuote(readable)} && chown ${shellQuote(m.loginUser)} ${shellQuote(readable)}`,
      { become: true },
    );
    if (r.rc !== 0) {
      await m.exec(`rm -f ${shellQuote(readable)}`, { become: true }).catch(() => undefined);
      fail(m, `reading ${src}`, r);
    }
  }
  try {
    await m.download(readable, localTmp);
    await rename(localTmp, localDest);
  } catch (e) {
    await rm(localTmp, { force: true });
    if (e instanceof LifeboatError) throw e;
    throw new LifeboatError('E_TASK', `download of ${m.host}:${src} failed: ${(e as Error).message}`, {
      host: m.host,
      cause: e,
    });
  } finally {
    if (sudo) await m.exec(`rm -f ${shellQuote(readable)}`).catch(() => undefined);
  }
}
