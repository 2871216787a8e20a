/**
 * Throwaway real sshd instances for the connection tests (until/besides the namespace lab).
 *
 * Each sshd runs on 127.0.0.1:<free port> inside its own mount namespace (`unshare --mount`), where a private
 * tmpfs /run holds the privilege-separation dir and bind-mounted copies of /etc/passwd, /etc/shadow,
 * /etc/group and /etc/sudoers.d add a non-root user `lbuser` (password TEST_PASSWORD, sudo with password)
 * and give root /bin/sh as login shell (no .bashrc). Nothing changes on the machine itself.
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TEST_USER = 'lbuser';
export const TEST_UID = 4242;
export const TEST_PASSWORD = 'lb-s3cret-Pw!';
export const KEY_PASSPHRASE = 'correct horse battery';

export function sshdAvailable(): boolean {
  return process.getuid?.() === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface Keys {
  dir: string;
  ed25519: string;
  rsa: string;
  ecdsa: string;
  /** An ed25519 key encrypted with KEY_PASSPHRASE. */
  encrypted: string;
  /** public key lines of all of the above */
  publics: string[];
}

export async function makeKeys(dir: string): Promise<Keys> {
  await mkdir(dir, { recursive: true });
  const gen = async (name: string, type: string, pass = '', bits?: string) => {
    const f = join(dir, name);
    await run('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', pass, '-C', name, '-f', f]);
    return f;
  };
  const [ed25519, rsa, ecdsa, encrypted] = await Promise.all([
    gen('id_ed25519', 'ed25519'),
    gen('id_rsa', 'rsa', '', '2048'),
    gen('id_ecdsa', 'ecdsa', '', '256'),
    gen('id_encrypted', 'ed25519', KEY_PASSPHRASE),
  ]);
  const publics = await Promise.all([ed25519, rsa, ecdsa, encrypted].map((f) => readFile(`${f}.pub`, 'utf8')));
  return { dir, ed25519, rsa, ecdsa, encrypted, publics: publics.map((p) => p.trim()) };
}

export interface Sshd {
  port: number;
  pid: number;
  dir: string;
  /** `ssh-ed25519 AAAA…` of this server's host key. */
  hostKey: string;
  /** The known_hosts line for this server. */
  knownHostsLine: string;
  /** PIDs of the sshd processes serving open connections (children of the listener). */
  children(): Promise<number[]>;
  log(): string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  authorizedKeys: string[];
  maxSessions?: number;
  /** Extra sshd_config lines. */
  extra?: string[];
  /** Extra sudoers lines (for TEST_USER's sudo). */
  sudoers?: string[];
  /** Replaces /etc/pam.d/sudo inside the namespace (e.g. to make sudo slow). */
  pamSudo?: string;
}

async function waitPort(port: number, ms: number, dead: () => string | undefined): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    const why = dead();
    if (why !== undefined || Date.now() > until) throw new Error(`sshd did not start on ${port}: ${why ?? 'timeout'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startSshd(o: SshdOptions): Promise<Sshd> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-sshd-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')]);
  const hostKey = (await readFile(join(dir, 'host_ed25519.pub'), 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
  await writeFile(join(dir, 'authorized_keys'), `${o.authorizedKeys.join('\n')}\n`, { mode: 0o644 });

  const home = join(dir, 'home');
  await mkdir(home, { mode: 0o755 });
  await chown(home, TEST_UID, TEST_UID);
  const { stdout: hash } = await run('openssl', ['passwd', '-6', TEST_PASSWORD]);
  const passwd = (await readFile('/etc/passwd', 'utf8'))
    .replace(/^root:(.*):[^:\n]*$/m, 'root:$1:/bin/sh')
    .concat(`${TEST_USER}:x:${TEST_UID}:${TEST_UID}:lifeboat test:${home}:/bin/sh\n`);
  const shadow = (await readFile('/etc/shadow', 'utf8')).concat(`${TEST_USER}:${hash.trim()}:20000:0:99999:7:::\n`);
  const group = (await readFile('/etc/group', 'utf8')).concat(`${TEST_USER}:x:${TEST_UID}:\n`);
  await writeFile(join(dir, 'passwd'), passwd, { mode: 0o644 });
  await writeFile(join(dir, 'shadow'), shadow, { mode: 0o640 });
  await writeFile(join(dir, 'group'), group, { mode: 0o644 });
  const sudoers = join(dir, 'sudoers.d');
  await mkdir(sudoers, { mode: 0o755 });
  const rules = [`Defaults:${TEST_USER} lecture=never`, ...(o.sudoers ?? []), `${TEST_USER} ALL=(ALL:ALL) ALL`];
  await writeFile(join(sudoers, 'lbtest'), `${rules.join('\n')}\n`, { mode: 0o440 });

  if (o.pamSudo !== undefined) await writeFile(join(dir, 'pam-sudo'), o.pamSudo, { mode: 0o644 });
  const cfg = [
    ...(o.extra ?? []), // first value obtained wins in sshd_config
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    `MaxSessions ${o.maxSessions ?? 10}`,
    'MaxStartups 50:30:100',
    'AllowTcpForwarding yes',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
  ];
  await writeFile(join(dir, 'sshd_config'), `${cfg.join('\n')}\n`);
  const script = [
    'set -e',
    'mount -t tmpfs -o mode=755 tmpfs /run',
    'mkdir -p /run/sshd',
    `mount --bind ${dir}/passwd /etc/passwd`,
    `mount --bind ${dir}/shadow /etc/shadow`,
    `mount --bind ${dir}/group /etc/group`,
    `mount --bind ${dir}/sudoers.d /etc/sudoers.d`,
    ...(o.pamSudo !== undefined ? [`mount --bind ${dir}/pam-sudo /etc/pam.d/sudo`] : []),
    `exec /usr/sbin/sshd -D -e -f ${dir}/sshd_config`,
  ].join('\n');
  const child = spawn('unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let exited: string | undefined;
  child.stderr.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exitedP = new Promise<void>((resolve) =>
    child.on('exit', (code, sig) => {
      exited = `exited ${code ?? sig}: ${log}`;
      resolve();
    }),
  );
  const pid = child.pid as number;
  await waitPort(port, 10_000, () => exited);
  const children = async (): Promise<number[]> => {
    const { stdout } = await run('pgrep', ['-P', String(pid)]).catch(() => ({ stdout: '' }));
    return stdout.split('\n').filter(Boolean).map(Number);
  };

  return {
    port,
    pid,
    dir,
    hostKey,
    knownHostsLine: `[127.0.0.1]:${port} ${hostKey}`,
    children,
    log: () => log,
    async stop() {
      if (exited === undefined) {
        const kids = await children();
        child.kill('SIGTERM');
        for (const k of kids) {
          try {
            process.kill(k, 'SIGTERM');
          } catch {
            // gone
          }
        }
        await exitedP;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `ssh-agent` on a private socket; `add` loads keys into it. */
export async function startAgent(dir: string): Promise<{ sock: string; add(key: string): Promise<void>; stop(): void }> {
  const sock = join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await readFile(sock).then(
      () => true,
      (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    sock,
    async add(key: string) {
      await run('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
    },
    stop() {
      child.kill('SIGTERM');
    },
  };
}
