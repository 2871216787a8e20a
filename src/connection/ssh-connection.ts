import type { Duplex, Readable } from 'node:stream';
import type ssh2 from 'ssh2';
import { LifeboatError } from '../errors.js';
import { buildCommand } from './command.js';
import { drive, driveOptionsFor } from './drive.js';
import { Semaphore } from './semaphore.js';
import { defaultKeyFiles } from './spec.js';
import type { JumpHosts } from './jump-hosts.js';
import { closeOpened, type OpenedClient, openClient } from './ssh-connect.js';
import { ChannelOpenError, killGroup, OPEN_RETRIES, openExec, sftpDownload, sftpUpload } from './ssh-ops.js';
import { type ByteMover, getFile, putFile } from './transfer.js';
import type { Connection, ConnectionSpec, ExecOptions, ExecResult, PutOptions } from './types.js';

export interface SshConnectionOptions {
  /** Channels open at once on this connection (exec and SFTP), below sshd's MaxSessions (10). Default 8. */
  maxChannels?: number;
  onWarning?: (msg: string) => void;
  /** Jump-host connections shared with other targets (a pool passes its own). */
  jumps?: JumpHosts;
}

/**
 * One authenticated SSH connection to a host, opened once and reused. At most `maxChannels` channels are
 * open at a time (the rest queue). A connection found dropped is reopened once by the next operation; a
 * command running while the connection drops fails with E_UNREACHABLE (it is never re-run by itself).
 */
export class SshConnection implements Connection {
  readonly host: string;
  private opened: OpenedClient | undefined;
  private opening: Promise<OpenedClient> | undefined;
  private lastDrop: string | undefined;
  private closed = false;
  private readonly sem: Semaphore;

  constructor(
    readonly spec: ConnectionSpec,
    private readonly opts: SshConnectionOptions = {},
  ) {
    this.host = spec.host;
    this.sem = new Semaphore(opts.maxChannels ?? 8);
  }

  /** Opens the connection now (the pool calls this, so connection errors surface at `get`). */
  async connect(): Promise<void> {
    await this.client();
  }

  private where(): string {
    return `${this.spec.address}:${this.spec.port}`;
  }

  private async client(): Promise<ssh2.Client> {
    if (this.closed) throw new LifeboatError('E_INTERNAL', `connection to ${this.host} used after close()`);
    if (this.opened) return this.opened.client;
    if (!this.opening) {
      const reopening = this.lastDrop !== undefined;
      this.opening = openClient(this.spec, {
        ...(this.opts.onWarning ? { onWarning: this.opts.onWarning } : {}),
        ...(this.opts.jumps ? { jumps: this.opts.jumps } : {}),
        explicitKeyFiles: this.spec.privateKeyFiles.filter((f) => !defaultKeyFiles().includes(f)),
      })
        .then((o) => {
          this.watch(o);
          if (reopening) this.opts.onWarning?.(`reconnected to ${this.host} (${this.where()}) after: ${this.lastDrop}`);
          return o;
        })
        .catch((e: unknown) => {
          if (reopening && e instanceof LifeboatError && e.code === 'E_UNREACHABLE') {
            throw new LifeboatError('E_UNREACHABLE', `${e.message} (the connection had dropped: ${this.lastDrop})`, {
              host: this.host,
              cause: e,
              ...(e.hint ? { hint: e.hint } : {}),
            });
          }
          throw e;
        })
        .finally(() => {
          this.opening = undefined;
        });
    }
    return (await this.opening).client;
  }

  private watch(o: OpenedClient): void {
    this.opened = o;
    let why = 'the server closed the connection';
    o.client.on('error', (e: Error) => {
      why = e.message;
    });
    o.client.on('close', () => {
      if (this.opened === o) {
        this.opened = undefined;
        this.lastDrop = why;
      }
      closeOpened(o);
    });
  }

  private lost(e: Error): LifeboatError {
    return new LifeboatError('E_UNREACHABLE', `lost the connection to ${this.where()}: ${e.message}`, {
      host: this.host,
      cause: e,
      hint: 'the command may or may not have finished on the host; check it before running again',
    });
  }

  private channelError(e: Error): LifeboatError {
    return new LifeboatError('E_UNREACHABLE', `cannot open a channel to ${this.where()}: ${e.message}`, {
      host: this.host,
      cause: e,
      hint: "sshd's MaxSessions may be lower than the channels Lifeboat opens at once (8 by default)",
    });
  }

  /**
   * Runs `fn` (which opens one channel) holding a channel slot. A channel refused on a live connection is
   * retried with a short backoff: sshd frees a closed session only on its next loop turn, so a close and the
   * next open in one burst can briefly exceed MaxSessions. A connection found dead is reopened once.
   */
  private async withChannel<T>(fn: (c: ssh2.Client) => Promise<T>): Promise<T> {
    const release = await this.sem.acquire();
    try {
      let c = await this.client();
      let reopened = false;
      for (let attempt = 0; ; attempt++) {
        try {
          return await fn(c);
        } catch (e) {
          if (!(e instanceof ChannelOpenError)) throw e;
          if (this.opened?.client !== c) {
            if (reopened) throw this.channelError(e);
            reopened = true;
            c = await this.client();
            continue;
          }
          if (attempt >= OPEN_RETRIES) throw this.channelError(e);
          await new Promise((r) => setTimeout(r, 10 * 2 ** attempt));
        }
      }
    } finally {
      release();
    }
  }

  async exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (opts.signal?.aborted) throw new LifeboatError('E_INTERRUPTED', 'interrupted', { host: this.host });
    const become = opts.become ?? this.spec.become;
    const becomeUser = opts.becomeUser ?? this.spec.becomeUser;
    const built = buildCommand(cmd, {
      become,
      becomeUser,
      loginUser: this.spec.user,
      reportPid: true,
      ...(opts.env ? { env: opts.env } : {}),
    });
    return this.withChannel(async (c) => {
      const handle = await openExec(c, built.line, (pid, sig) => killGroup(c, pid, sig));
      return drive(handle, {
        ...driveOptionsFor(this.host, opts, built.become, becomeUser, this.spec),
        transportError: (e) => this.lost(e),
      });
    });
  }

  private mover(): ByteMover {
    return {
      host: this.host,
      loginUser: this.spec.user,
      tmpDir: '/tmp',
      exec: (cmd, o) => this.exec(cmd, o),
      upload: (src, path, mode) => this.withChannel((c) => sftpUpload(c, src, path, mode)),
      download: (path, local) => this.withChannel((c) => sftpDownload(c, path, local)),
    };
  }

  async put(src: string | Buffer | Readable, dest: string, opts: PutOptions = {}): Promise<void> {
    await putFile(this.mover(), src, dest, opts, { become: this.spec.become, becomeUser: this.spec.becomeUser });
  }

  async get(src: string, dest: string, opts: { become?: boolean } = {}): Promise<void> {
    await getFile(this.mover(), src, dest, opts, { become: this.spec.become, becomeUser: this.spec.becomeUser });
  }

  /** A direct-tcpip channel from the host to address:port (sshd's AllowTcpForwarding; no session slot held). */
  async forward(address: string, port: number): Promise<Duplex> {
    const c = await this.client();
    return new Promise((resolve, reject) => {
      c.forwardOut('127.0.0.1', 0, address, port, (err, stream) => {
        if (err) reject(new LifeboatError('E_CONNECT', `${this.host}: cannot open a tunnel to ${address}:${port}: ${err.message}`, { host: this.host, hint: "sshd's AllowTcpForwarding must allow it" }));
        else resolve(stream);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const o = this.opened ?? (this.opening ? await this.opening.catch(() => undefined) : undefined);
    this.opened = undefined;
    if (!o) return;
    await new Promise<void>((resolve) => {
      o.client.once('close', () => resolve());
      closeOpened(o);
      setTimeout(resolve, 2000).unref();
    });
  }
}

