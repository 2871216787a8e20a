import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type ssh2 from 'ssh2';
import type { ProcHandle } from './drive.js';
import { channelHandle } from './ssh-channel.js';

/** Channel-level operations on an open ssh2 client: exec, group kill, SFTP transfers. */

/** A channel the server refused to open (nothing ran: safe to retry). */
export class ChannelOpenError extends Error {}

/** Retries of a refused channel open (10 ms doubling: about 0.6 s in all). */
export const OPEN_RETRIES = 6;

/** Opens an exec channel; its handle is made inside the callback, before any of its events can be missed. */
export function openExec(c: ssh2.Client, line: string, kill: (pid: number, sig: string) => void): Promise<ProcHandle> {
  return new Promise((resolve, reject) => {
    try {
      c.exec(line, (err, stream) =>
        err ? reject(new ChannelOpenError(err.message, { cause: err })) : resolve(channelHandle(stream, kill)),
      );
    } catch (e) {
      reject(new ChannelOpenError((e as Error).message, { cause: e }));
    }
  });
}

/**
 * Signals a command's process group from a second channel (outside the channel cap: a kill must not queue
 * behind the commands it stops). Needed because sshd ignores channel signals on root logins.
 */
export function killGroup(c: ssh2.Client, pid: number, sig: string): void {
  if (!Number.isInteger(pid) || pid <= 1) return;
  const cmd = `kill -s ${sig} -- -${pid} 2>/dev/null || kill -s ${sig} ${pid} 2>/dev/null; true`; // dash: -s, not -SIG, before --
  try {
    c.exec(cmd, (err, stream) => {
      if (err) return;
      stream.on('data', () => {});
      stream.stderr.on('data', () => {});
      stream.end();
    });
  } catch {
    // connection gone: nothing left to signal through
  }
}

export function openSftp(c: ssh2.Client): Promise<ssh2.SFTPWrapper> {
  return new Promise((resolve, reject) => {
    try {
      c.sftp((err, sftp) => (err ? reject(new ChannelOpenError(err.message, { cause: err })) : resolve(sftp)));
    } catch (e) {
      reject(new ChannelOpenError((e as Error).message, { cause: e }));
    }
  });
}

export async function sftpUpload(c: ssh2.Client, src: string | Buffer | Readable, path: string, mode = 0o600): Promise<void> {
  const sftp = await openSftp(c);
  try {
    if (typeof src === 'string') {
      await new Promise<void>((resolve, reject) =>
        sftp.fastPut(src, path, { mode }, (e) => (e ? reject(e) : resolve())),
      );
    } else {
      const ws = sftp.createWriteStream(path, { mode });
      const rs = Buffer.isBuffer(src) ? Readable.from([src]) : src;
      await pipeline(rs, ws);
    }
  } finally {
    sftp.end();
  }
}

export async function sftpDownload(c: ssh2.Client, path: string, local: string): Promise<void> {
  const sftp = await openSftp(c);
  try {
    await new Promise<void>((resolve, reject) => sftp.fastGet(path, local, (e) => (e ? reject(e) : resolve())));
  } finally {
    sftp.end();
  }
}

