/** Running commands and finding processes (by namespace) for the lab. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { LifeboatError } from '../../src/errors.js';

export interface RunResult {
  rc: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  cwd?: string;
}

/** Run a program (no shell) and collect its output; never throws for a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        rc: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {}); // a program that exits without reading its input is not an error
    child.stdin.end(opts.input ?? '');
  });
}

/** Run, and throw a LifeboatError naming the command and its stderr when it fails. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.rc !== 0) {
    throw new LifeboatError('E_INTERNAL', `lab: \`${[cmd, ...args].join(' ')}\` exited ${r.rc}: ${r.stderr.trim()}`, {
      hint: 'the lab needs root, iproute2, openssh-server, etcd-server and openssl: run `bash scripts/setup.sh`',
    });
  }
  return r;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Start time of a process (clock ticks since boot, /proc/<pid>/stat field 22), or undefined if gone. */
export function procStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[19]);
  } catch {
    return undefined;
  }
}

/** The process exists, is the same process (start time), and is not a zombie. */
export function procAlive(pid: number, start?: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return false;
    return start === undefined || Number(rest[19]) === start;
  } catch {
    return false;
  }
}

/** This process's pid namespace (`pid:[…]`). */
export function ownPidNs(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

/** A process's pids, outermost namespace first, as /proc/PID/status `NSpid` lists them. */
function nsPids(pid: number | 'self'): number[] {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^NSpid:\s*(.*)$/m)?.[1] ?? '';
    return line.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * procAlive for a pid recorded by a process of pid namespace `pidns` (`unshare -p`, a container): there the
 * number names another process than here. Looks for a visible process of that namespace whose own pid it is.
 * Returns undefined when it cannot tell: not found, and this process is itself in a nested pid namespace, which
 * does not see the others. (The start time, in ticks since boot, is the same in every namespace.)
 */
export function procAliveIn(pid: number, start: number | undefined, pidns: string | undefined): boolean | undefined {
  if (pidns === undefined || pidns === ownPidNs()) return procAlive(pid, start);
  for (const ent of readdirSync('/proc')) {
    if (!/^\d+$/.test(ent)) continue;
    const p = Number(ent);
    try {
      if (readlinkSync(`/proc/${p}/ns/pid`) !== pidns) continue;
    } catch {
      continue;
    }
    if (nsPids(p).at(-1) === pid && procAlive(p, start)) return true;
  }
  return inNestedPidNs() ? undefined : false;
}

/** The initial pid namespace's inode is fixed by the kernel (PROC_PID_INIT_INO, 0xEFFFFFFC). */
const INITIAL_PID_NS = 'pid:[4026531836]';

/**
 * Is this process in a pid namespace below the machine's first one (it then sees only part of the machine)?
 * (Not told by NSpid: under `unshare -p --mount-proc` that /proc shows only the inner pid.)
 */
export function inNestedPidNs(): boolean {
  return ownPidNs() !== INITIAL_PID_NS;
}

/** `mnt:[4026…]`-style identity of a process's namespace, or undefined (gone, zombie). */
export function nsOf(pid: number, ns: 'mnt' | 'net' | 'uts' | 'pid'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${ns}`);
  } catch {
    return undefined;
  }
}

export interface ProcInfo {
  pid: number;
  mnt: string;
  net: string;
  cmdline: string;
}

/** Every live process whose namespaces can be read. */
export function listProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const ent of readdirSync('/proc')) {
    if (!/^\d+$/.test(ent)) continue;
    const pid = Number(ent);
    const mnt = nsOf(pid, 'mnt');
    const net = nsOf(pid, 'net');
    if (!mnt || !net) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    out.push({ pid, mnt, net, cmdline });
  }
  return out;
}

export function kill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Where each host finds lab-init (copied into its /usr/local overlay: the controller's /tmp is hidden there). */
export const HOST_INIT = '/usr/local/lib/lifeboat-lab/lab-init';

/**
 * Run `argv` inside a host's namespaces as a child of `lab-init --wrap` (a subreaper): daemons the command
 * starts are reaped at once when they end, as on a host with a real init. Resolves with the command's status
 * (sent on fd 3) once its output is closed, without waiting for such daemons; the wrapper then lingers, unref'd.
 */
export function runInHost(initPid: number, argv: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // a systemd host's own PID (and cgroup) namespace is entered too
    const ownNs = nsOf(initPid, 'pid') !== nsOf(process.pid, 'pid') ? ['-p', '-C'] : [];
    const child = spawn('nsenter', ['-t', String(initPid), '-m', '-u', '-n', ...ownNs, '-w', '--', HOST_INIT, '--wrap', ...argv], {
      env,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const status: Buffer[] = [];
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    let open = 3;
    let exitCode: number | undefined;
    const finish = (): void => {
      const text = Buffer.concat(status).toString().trim();
      if (/^\d+$/.test(text)) {
        child.unref();
        resolve({ rc: Number(text), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      } else if (exitCode !== undefined) {
        // no status: nsenter or lab-init itself failed (its message is on stderr)
        resolve({ rc: exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      }
    };
    const closed = (): void => {
      open -= 1;
      if (open === 0) finish();
    };
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    fd3.on('data', (b: Buffer) => status.push(b));
    child.stdout.on('close', closed);
    child.stderr.on('close', closed);
    fd3.on('close', closed);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      if (open === 0) finish();
    });
    child.stdin.on('error', () => {});
    child.stdin.end();
  });
}
