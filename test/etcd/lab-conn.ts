import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { shellQuote } from '../../src/connection/quote.js';
import type { Connection, ExecOptions, ExecResult, PutOptions } from '../../src/connection/types.js';
import type { Lab } from '../lab/index.js';
import { HOST_PATH } from '../lab/paths.js';

/**
 * A Connection into a lab host through its namespaces (nsenter), for module integration tests before (or
 * besides) SSH. Runs as root; `become` is a no-op. Real shell, real files, real etcd — no canned answers.
 */
export class LabConnection implements Connection {
  constructor(
    private readonly lab: Lab,
    readonly host: string,
  ) {}

  private spawn(cmd: string, env?: Record<string, string>) {
    const pid = this.lab.initPid(this.host);
    const exports = Object.entries(env ?? {})
      .map(([k, v]) => `export ${k}=${shellQuote(v)}; `)
      .join('');
    return spawn('nsenter', ['-t', String(pid), '-m', '-u', '-n', '-w', '--', '/bin/sh', '-c', `${exports}${cmd}`], {
      env: { PATH: HOST_PATH, HOME: '/root', LANG: 'C.UTF-8', USER: 'root', LOGNAME: 'root' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const child = this.spawn(cmd, opts.env);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let signal: string | undefined;
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            signal = 'TIMEOUT';
            child.kill('SIGKILL');
          }, opts.timeoutMs)
        : undefined;
      child.stdout.on('data', (b: Buffer) => {
        out.push(b);
        opts.onStdout?.(b);
      });
      child.stderr.on('data', (b: Buffer) => {
        err.push(b);
        opts.onStderr?.(b);
      });
      child.on('error', reject);
      child.on('close', (code, sig) => {
        if (timer) clearTimeout(timer);
        resolve({
          rc: code ?? 255,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          ...(signal || sig ? { signal: signal ?? String(sig) } : {}),
          durationMs: Date.now() - t0,
        });
      });
      child.stdin.on('error', () => {});
      // a stream (a verified put's bytes) is piped with back-pressure, as the real connections do
      if (opts.stdin instanceof Readable) opts.stdin.pipe(child.stdin);
      else child.stdin.end(opts.stdin ?? '');
    });
  }

  async put(src: string | Buffer | Readable, dest: string, opts: PutOptions = {}): Promise<void> {
    const mode = opts.mode !== undefined ? ` && chmod ${opts.mode.toString(8)} ${shellQuote(dest)}` : '';
    const child = this.spawn(`cat > ${shellQuote(dest)}${mode}`);
    const done = new Promise<number>((res) => child.on('close', (c) => res(c ?? 255)));
    const input = typeof src === 'string' ? createReadStream(src) : Buffer.isBuffer(src) ? [src] : src;
    await pipeline(input as Readable, child.stdin);
    const rc = await done;
    if (rc !== 0) throw new Error(`put ${dest} on ${this.host}: rc ${rc}`);
  }

  async get(src: string, dest: string): Promise<void> {
    const child = this.spawn(`cat ${shellQuote(src)}`);
    const done = new Promise<number>((res) => child.on('close', (c) => res(c ?? 255)));
    await pipeline(child.stdout, createWriteStream(dest));
    const rc = await done;
    if (rc !== 0) throw new Error(`get ${src} from ${this.host}: rc ${rc}`);
  }

  async close(): Promise<void> {}
}
