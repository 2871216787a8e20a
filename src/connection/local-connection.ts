import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { type Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LifeboatError } from '../errors.js';
import { buildCommand } from './command.js';
import { drive, driveOptionsFor, type ProcHandle } from './drive.js';
import { type ByteMover, getFile, putFile } from './transfer.js';
import type { Connection, ConnectionSpec, ExecOptions, ExecResult, PutOptions } from './types.js';

/**
 * The controller itself (`ansible_connection: local`, `localhost`): `/bin/sh -c`, same contract as SSH.
 * Each command runs in its own process group, so a timeout or Ctrl-C stops it and its children.
 */
export class LocalConnection implements Connection {
  readonly host: string;

  constructor(readonly spec: ConnectionSpec) {
    this.host = spec.host;
  }

  /** A socket to address:port from this machine. */
  forward(address: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: address, port }, () => resolve(sock));
      sock.once('error', reject);
    });
  }

  async exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (opts.signal?.aborted) throw new LifeboatError('E_INTERRUPTED', 'interrupted', { host: this.host });
    const become = opts.become ?? this.spec.become;
    const becomeUser = opts.becomeUser ?? this.spec.becomeUser;
    const built = buildCommand(cmd, { become, becomeUser, loginUser: this.spec.user, ...(opts.env ? { env: opts.env } : {}) });
    const child = spawn('/bin/sh', ['-c', built.line], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const handle: ProcHandle = {
      stdin: child.stdin,
      onStdout: (cb) => child.stdout.on('data', cb),
      onStderr: (cb) => child.stderr.on('data', cb),
      onDone: (cb) => child.on('close', (code, sig) => cb(code, sig ? sig.replace(/^SIG/, '') : null)),
      onError: (cb) => child.on('error', cb),
      kill: (sig) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, `SIG${sig}`);
        } catch {
          // already gone
        }
      },
      close: () => {
        child.stdin.destroy();
        child.stdout.destroy();
        child.stderr.destroy();
      },
    };
    return drive(handle, driveOptionsFor(this.host, opts, built.become, becomeUser, this.spec));
  }

  private mover(): ByteMover {
    return {
      host: this.host,
      loginUser: this.spec.user,
      tmpDir: tmpdir(),
      exec: (cmd, o) => this.exec(cmd, o),
      upload: async (src, path, mode = 0o600) => {
        if (typeof src === 'string') {
          await copyFile(src, path);
          await chmod(path, mode);
          return;
        }
        const rs = Buffer.isBuffer(src) ? Readable.from([src]) : src;
        await pipeline(rs, createWriteStream(path, { mode }));
      },
      download: (path, local) => copyFile(path, local),
    };
  }

  async put(src: string | Buffer | Readable, dest: string, opts: PutOptions = {}): Promise<void> {
    await putFile(this.mover(), src, dest, opts, { become: this.spec.become, becomeUser: this.spec.becomeUser });
  }

  async get(src: string, dest: string, opts: { become?: boolean } = {}): Promise<void> {
    await getFile(this.mover(), src, dest, opts, { become: this.spec.become, becomeUser: this.spec.becomeUser });
  }

  async close(): Promise<void> {}
}
