import { constants } from 'node:os';
import { Readable, type Writable } from 'node:stream';
import { LifeboatError } from '../errors.js';
import type { BecomeSetup } from './command.js';
import type { ConnectionSpec, ExecOptions, ExecResult } from './types.js';

/** A started command, remote (ssh channel) or local (child process). */
export interface ProcHandle {
  stdin: Writable;
  /** Registers the consumer of the command's output chunks (called once each). */
  onStdout(cb: (chunk: Buffer) => void): void;
  onStderr(cb: (chunk: Buffer) => void): void;
  /** Called once, when the command is over and its streams are closed. */
  onDone(cb: (code: number | null, signal: string | null) => void): void;
  /** Called if the transport fails (connection lost). */
  onError(cb: (err: Error) => void): void;
  /** Send a signal (name without SIG) to the command. */
  kill(signal: 'TERM' | 'INT' | 'KILL'): void;
  /** Drop the command's channel / pipes. */
  close(): void;
}

export interface DriveOptions {
  host: string;
  stdin?: string | Buffer | Readable;
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  become?: BecomeSetup & { password?: string; timeoutMs: number; user: string };
  /**
   * After TERM, how long to wait before KILL and closing the channel; after three times this, the command is
   * given up on (the promise settles even if the server never closes the channel). Default 1000.
   */
  graceMs?: number;
  /** Turns a transport error into the error to reject with. */
  transportError?: (err: Error) => Error;
}

/**
 * The drive options of one exec, the same for every connection kind: the caller's stdin, timeout, abort and
 * output callbacks, and, when the command goes through sudo, the prompt/marker with the spec's password and timeout.
 */
export function driveOptionsFor(
  host: string,
  o: ExecOptions,
  become: BecomeSetup | undefined,
  becomeUser: string,
  spec: Pick<ConnectionSpec, 'becomeTimeoutMs' | 'becomePassword'>,
): DriveOptions {
  return {
    host,
    ...(o.stdin !== undefined ? { stdin: o.stdin } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onStdout ? { onStdout: o.onStdout } : {}),
    ...(o.onStderr ? { onStderr: o.onStderr } : {}),
    ...(become
      ? {
          become: {
            ...become,
            user: becomeUser,
            timeoutMs: spec.becomeTimeoutMs,
            ...(spec.becomePassword !== undefined ? { password: spec.becomePassword } : {}),
          },
        }
      : {}),
  };
}

function signalNumber(name: string): number {
  const n = (constants.signals as Record<string, number | undefined>)[`SIG${name}`];
  return n ?? 0;
}

function mask(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('********') : text;
}

/** Runs a started command to its end: stdin, become prompt/marker, timeout, abort, output collection. */
export function drive(proc: ProcHandle, o: DriveOptions): Promise<ExecResult> {
  const started = Date.now();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const b = o.become;
  let authed = !b;
  let preOut = '';
  let preErr = '';
  let prompts = 0;
  let timedOut = false;
  let failure: Error | undefined;
  let settled = false;
  const timers: NodeJS.Timeout[] = [];

  return new Promise<ExecResult>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      o.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    let stopping = false;
    const stop = (why: Error | 'timeout') => {
      if (why === 'timeout') timedOut = true;
      else failure ??= why;
      if (stopping) return;
      stopping = true;
      const grace = o.graceMs ?? 1000;
      proc.kill('TERM');
      timers.push(
        setTimeout(() => {
          proc.kill('KILL');
          proc.close();
        }, grace),
        setTimeout(() => complete(null, 'KILL'), grace * 3),
      );
    };
    const sendStdin = () => {
      proc.stdin.on('error', () => {}); // the command may exit without reading its stdin
      if (o.stdin instanceof Readable) {
        o.stdin.once('error', (e) => stop(e));
        o.stdin.pipe(proc.stdin);
        return;
      }
      if (o.stdin !== undefined && o.stdin.length > 0) proc.stdin.write(o.stdin);
      proc.stdin.end();
    };
    const becomeError = (msg: string, hint?: string) =>
      new LifeboatError('E_BECOME', msg, { host: o.host, ...(hint ? { hint } : {}) });
    const onAbort = () => stop(new LifeboatError('E_INTERRUPTED', 'interrupted', { host: o.host }));

    const deliverOut = (chunk: Buffer) => {
      out.push(chunk);
      o.onStdout?.(chunk);
    };
    proc.onStdout((chunk) => {
      if (authed || !b) return deliverOut(chunk);
      preOut += chunk.toString('latin1');
      const i = preOut.indexOf(`${b.marker}\n`);
      if (i < 0) return;
      authed = true;
      const rest = Buffer.from(preOut.slice(i + b.marker.length + 1), 'latin1');
      preOut = '';
      if (rest.length) deliverOut(rest);
      sendStdin();
    });
    proc.onStderr((chunk) => {
      if (authed || !b) {
        err.push(chunk);
        o.onStderr?.(chunk);
        return;
      }
      preErr += chunk.toString('latin1');
      let j = preErr.indexOf(b.prompt);
      while (j >= 0) {
        preErr = preErr.slice(0, j) + preErr.slice(j + b.prompt.length);
        prompts++;
        if (prompts === 1 && b.password === undefined) {
          stop(becomeError(`sudo asks for a password to become ${b.user}, and none was given`,
            'set ansible_become_password (or pass the become password option)'));
        } else if (prompts === 1) {
          proc.stdin.write(`${b.password}\n`);
        } else if (prompts === 2) {
          stop(becomeError(`sudo refused the become password (user ${b.user})`, 'check ansible_become_password'));
        }
        j = preErr.indexOf(b.prompt);
      }
    });
    proc.onError((e) => {
      failure ??= o.transportError ? o.transportError(e) : e;
      proc.close();
    });
    const complete = (code: number | null, sig: string | null) =>
      finish(() => {
        if (failure) return reject(failure);
        if (!authed && b) {
          const said = mask(preErr, b.password).trim().replace(/\s+/g, ' ');
          return reject(becomeError(`sudo failed to become ${b.user}${said ? `: ${said}` : ''}`,
            'check that the login user may run sudo on this host'));
        }
        const signal = sig ?? (timedOut ? 'TERM' : undefined);
        const rc = code ?? (signal ? 128 + signalNumber(signal) : -1);
        resolve({
          rc,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          ...(signal ? { signal } : {}),
          ...(timedOut ? { timedOut: true } : {}),
          durationMs: Date.now() - started,
        });
      });
    proc.onDone(complete);

    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.timeoutMs !== undefined && o.timeoutMs > 0) timers.push(setTimeout(() => stop('timeout'), o.timeoutMs));
    if (b) {
      timers.push(
        setTimeout(() => {
          if (!authed) stop(becomeError(`sudo did not start the command within ${b.timeoutMs} ms (become ${b.user})`,
            'sudo may be waiting at a password prompt Lifeboat did not see (sudoers passprompt_override?), ' +
              'or be slow: check sudo on this host, or raise the become timeout'));
        }, b.timeoutMs),
      );
    } else {
      sendStdin();
    }
  });
}
