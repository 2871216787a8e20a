import type ssh2 from 'ssh2';
import type { ProcHandle } from './drive.js';

/**
 * Adapts an ssh2 exec channel to the ProcHandle that `drive` runs. When the command reports its process
 * group (`LBPID <pid>`, see buildCommand's reportPid), that first stderr line is taken out of the output and
 * `kill` also calls `killGroup(pid, signal)`, which signals the group from a second channel.
 */
export function channelHandle(
  stream: ssh2.ClientChannel,
  killGroup?: (pid: number, signal: string) => void,
): ProcHandle {
  let code: number | null = null;
  let signal: string | null = null;
  let gotExit = false;
  let closedByUs = false;
  let errorCb: ((e: Error) => void) | undefined;
  let lastError: Error | undefined;
  let pid: number | undefined;
  let head: Buffer | undefined = killGroup ? Buffer.alloc(0) : undefined;
  // Chunks that arrive before drive() registers its consumer wait here.
  const early: Buffer[] = [];
  let stderrCb: ((chunk: Buffer) => void) | undefined;
  const emitErr = (chunk: Buffer) => (stderrCb ? stderrCb(chunk) : early.push(chunk));
  stream.on('exit', (c: number | null, sig?: string) => {
    gotExit = true;
    if (typeof c === 'number') code = c;
    if (sig) signal = sig.replace(/^SIG/, '');
  });
  stream.on('error', (e: Error) => {
    lastError = e;
  });
  // Login scripts may print to stderr before our wrapper runs: look for the pid line within the first 4 KiB.
  stream.stderr.on('data', (chunk: Buffer) => {
    if (head === undefined) return emitErr(chunk);
    head = Buffer.concat([head, chunk]);
    const text = head.toString('latin1');
    const m = /(^|\n)LBPID (\d+)\n/.exec(text);
    if (!m && head.length < 4096) return;
    let out = head;
    if (m) {
      pid = Number(m[2]);
      const start = m.index + (m[1] ?? '').length;
      out = Buffer.concat([head.subarray(0, start), head.subarray(start + m[0].length - (m[1] ?? '').length)]);
    }
    head = undefined;
    if (out.length) emitErr(out);
  });
  return {
    stdin: stream,
    onStdout: (cb) => stream.on('data', cb),
    onStderr(cb) {
      stderrCb = cb;
      for (const chunk of early.splice(0)) cb(chunk);
    },
    onDone(cb) {
      // ssh2 passes the exit status to 'close' too; it may have arrived before our 'exit' listener existed.
      stream.on('close', (c?: number | null, sig?: string) => {
        if (!gotExit && (typeof c === 'number' || sig)) {
          gotExit = true;
          if (typeof c === 'number') code = c;
          if (sig) signal = sig.replace(/^SIG/, '');
        }
        if (head?.length) emitErr(head);
        head = undefined;
        // A channel closed without an exit status, and not by us: the connection went away under it.
        if (!gotExit && !closedByUs) errorCb?.(lastError ?? new Error('the channel closed without an exit status'));
        cb(code, signal);
      });
    },
    onError(cb) {
      errorCb = cb;
    },
    kill(sig) {
      try {
        sendSignal(stream, sig);
      } catch {
        // channel already gone
      }
      if (pid !== undefined) killGroup?.(pid, sig);
    },
    close() {
      closedByUs = true;
      stream.close();
    },
  };
}

interface ChannelInternals {
  outgoing?: { id: number; state: string };
  _client?: { _protocol?: { signal(id: number, name: string): void } };
}

/**
 * ssh2's `ClientChannel.signal()` sends nothing once our side of the stream has ended (stdin sent EOF: state 'eof'),
 * which is the usual state of a running command. The "signal" channel request is still valid then
 * (RFC 4254 §6.9), so send it through the channel's protocol object; fall back to the public method.
 */
function sendSignal(stream: ssh2.ClientChannel, sig: string): void {
  const ch = stream as unknown as ChannelInternals;
  const proto = ch._client?._protocol;
  const state = ch.outgoing?.state;
  if ((state === 'open' || state === 'eof') && ch.outgoing && proto && typeof proto.signal === 'function') proto.signal(ch.outgoing.id, sig);
  else stream.signal(sig);
}
