import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { LifeboatError } from '../errors.js';
import { shellQuote } from './quote.js';
import type { ExecOptions, ExecResult } from './types.js';

export interface VerifiedPut {
  /** Bytes sent (the host proved their sha256 and size before moving them into place). */
  bytes: number;
}

/** Read size of the local file: larger reads than fs' 64 KiB default cost fewer stream turns per GiB. */
const READ_CHUNK = 1024 * 1024;

/**
 * Streams the local file `src` to `dest` through one exec channel (`tee` into a temporary name beside `dest`),
 * with sha256 computed by the host over what arrived, while the bytes flow — the copy is never read again. The
 * host renames the file into place only when what arrived has `expect`'s sha256 and size (the manifest's,
 * checked on the controller before); otherwise it removes it and the put fails (E_TASK). One round-trip.
 * The controller does not hash what it sends (with 3 members at once that was 3 reads' worth of CPU on the
 * controller for nothing the host does not prove); only a failed copy of a file hashes the file, for the hint.
 */
export async function putVerified(
  conn: { host: string; exec(cmd: string, opts?: ExecOptions): Promise<ExecResult> },
  /** A local file, or a function opening the stream of bytes to send (e.g. a snapshot decoded on the way). */
  src: string | (() => Promise<Readable>),
  dest: string,
  expect: { sha256: string; size: number },
  opts: { mode?: number; become?: boolean; signal?: AbortSignal } = {},
): Promise<VerifiedPut> {
  if (!/^[0-9a-f]{64}$/.test(expect.sha256)) throw new LifeboatError('E_USAGE', `putVerified: "${expect.sha256}" is not a sha256`);
  const tmp = posix.join(posix.dirname(dest), `.${posix.basename(dest)}.lifeboat-${randomBytes(6).toString('hex')}`);
  const mode = (opts.mode ?? 0o600).toString(8).padStart(4, '0');
  const t = shellQuote(tmp);
  const cmd = [
    // openssl's sha256 uses the CPU's SHA instructions (4× coreutils' sha256sum here); sha256sum where it is missing
    `umask 077; if command -v openssl >/dev/null 2>&1; then h='openssl dgst -sha256 -r'; else h=sha256sum; fi;`,
    `d=$(tee ${t} | $h) && d=\${d%% *} && s=$(stat -c %s ${t})`,
    `&& [ "$d" = ${expect.sha256} ] && [ "$s" = ${expect.size} ] && chmod ${mode} ${t} && mv -f ${t} ${shellQuote(dest)}`,
    `|| { rm -f ${t}; echo "arrived: sha256 \${d:-?}, \${s:-?} bytes" >&2; exit 1; }`,
  ].join(' ');
  let bytes = 0;
  // Counted by a stage of the pipe, not a 'data' listener: that would start the flow before exec pipes it to the
  // channel, and the first chunks would be lost (tried: the host refused a copy 1 MiB short).
  const tap = new Transform({
    highWaterMark: READ_CHUNK,
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const source = typeof src === 'string' ? createReadStream(src, { highWaterMark: READ_CHUNK }) : await src();
  source.once('error', (e: Error) => tap.destroy(e));
  const r = await conn.exec(cmd, {
    stdin: source.pipe(tap),
    ...(opts.become !== undefined ? { become: opts.become } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (r.rc !== 0) {
    const local = typeof src === 'string' ? await fileSha256(src).catch(() => undefined) : undefined;
    const hint =
      local === undefined
        ? 'the host received or stored other bytes than expected (disk full? the source changed?)'
        : local === expect.sha256
          ? 'the local file is right: the host received or stored other bytes (disk full?)'
          : `the local file changed: it now has sha256 ${local}`;
    throw new LifeboatError('E_TASK', `copy of ${typeof src === 'string' ? src : 'the stream'} to ${conn.host}:${dest} failed: ${(r.stderr || r.stdout).trim() || `exit code ${r.rc}`}`, {
      host: conn.host,
      hint,
    });
  }
  return { bytes };
}

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(file, { highWaterMark: READ_CHUNK })) h.update(c as Buffer);
  return h.digest('hex');
}
