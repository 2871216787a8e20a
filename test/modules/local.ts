import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, chown, copyFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Connection, ExecOptions, ExecResult, PutOptions } from '../../src/connection/types.js';

/**
 * A real local connection for module tests: `/bin/sh -c` in a working directory, real files. Used alongside the
 * SSH lab tests (never instead of them). `become` is ignored (the tests run as root).
 */
export class LocalConnection implements Connection {
  constructor(
    readonly host: string,
    readonly cwd: string,
  ) {}
  readonly commands: string[] = [];

  exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.commands.push(cmd);
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', cmd], {
        cwd: this.cwd,
        env: { ...process.env, ...(opts.env ?? {}) },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
        opts.onStdout?.(c);
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
        opts.onStderr?.(c);
      });
      const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : undefined;
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({
          rc: code ?? -1,
          stdout,
          stderr,
          durationMs: Date.now() - t0,
          ...(signal ? { signal } : {}),
        });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(opts.stdin ?? '');
    });
  }

  async put(src: string | Buffer | Readable, dest: string, opts: PutOptions = {}): Promise<void> {
    if (typeof src === 'string') await copyFile(src, dest);
    else if (Buffer.isBuffer(src))
      await pipeline(async function* () {
        yield src;
      }, createWriteStream(dest));
    else await pipeline(src, createWriteStream(dest));
    if (opts.mode !== undefined) await chmod(dest, opts.mode);
    if (opts.owner !== undefined || opts.group !== undefined) {
      const id = async (flag: string, name: string) =>
        Number((await this.exec(`id ${flag} ${name}`)).stdout.trim() || (flag === '-u' ? 'x' : 'y'));
      const uid = opts.owner !== undefined ? await id('-u', opts.owner) : -1;
      const gid =
        opts.group !== undefined
          ? Number((await this.exec(`getent group ${opts.group} | cut -d: -f3`)).stdout.trim())
          : -1;
      await chown(dest, uid, gid);
    }
  }

  async get(src: string, dest: string): Promise<void> {
    await mkdir(dirname(dest), { recursive: true });
    await pipeline(createReadStream(src), createWriteStream(dest));
  }

  async close(): Promise<void> {}
}
