import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';
import { LifeboatError } from '../errors.js';

/**
 * ~/.ssh/config through the maintained `ssh-config` parser: `Host` patterns (first value obtained wins, as
 * OpenSSH), option names lowercased. `Match exec` is never run. `Include` lines are replaced by the files they
 * name (relative paths from ~/.ssh, `*`/`?` in the file name), which is how OpenSSH reads them except that an
 * Include inside a Host block is not made conditional on that block.
 */

export type SshConfigValues = Record<string, string | string[]>;

const cache = new Map<string, { mtimeMs: number; config: SSHConfig }>();

function load(file: string): SSHConfig | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return undefined; // no config file: nothing to apply, as OpenSSH
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.config;
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(withIncludes(file, 0));
  } catch (e) {
    throw new LifeboatError('E_INVENTORY', `${file}: cannot parse ssh config: ${(e as Error).message}`, { cause: e });
  }
  cache.set(file, { mtimeMs, config });
  return config;
}

function globFiles(pattern: string): string[] {
  const dir = dirname(pattern);
  const name = basename(pattern);
  if (!/[*?]/.test(name)) return [pattern];
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(dir)
      .filter((f) => re.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** The file's text with each `Include` line replaced by the included files' text (depth-limited, as OpenSSH). */
function withIncludes(file: string, depth: number): string {
  if (depth > 16) throw new Error(`Include nested too deeply at ${file}`);
  const text = readFileSync(file, 'utf8');
  return text.replace(/^[ \t]*Include[ \t=]+(.+)$/gim, (_line, args: string) =>
    args
      .trim()
      .split(/\s+/)
      .map((a) => a.replace(/^"|"$/g, ''))
      .map((a) => (a.startsWith('~/') ? homedir() + a.slice(1) : isAbsolute(a) ? a : join(homedir(), '.ssh', a)))
      .flatMap(globFiles)
      .map((f) => {
        try {
          return withIncludes(f, depth + 1);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
          throw e;
        }
      })
      .join('\n'),
  );
}

export function defaultSshConfigFile(): string {
  return `${homedir()}/.ssh/config`;
}

/** The options that apply to `host` (the name given to ssh: ansible_host, else the inventory name). */
export function sshConfigFor(host: string, file: string = defaultSshConfigFile()): SshConfigValues {
  const config = load(file);
  if (!config) return {};
  return config.compute(host, { ignoreCase: true, matchExec: false });
}

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function all(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** `~` and the `%` tokens OpenSSH expands in IdentityFile / UserKnownHostsFile. */
export function expandPath(p: string, t: { host?: string; user?: string; port?: number; origHost?: string } = {}): string {
  const home = homedir();
  let s = p.startsWith('~/') || p === '~' ? home + p.slice(1) : p;
  s = s.replace(/%([%dhrunpl])/g, (_m, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'd':
        return home;
      case 'h':
        return t.host ?? '%h';
      case 'n':
        return t.origHost ?? t.host ?? '%n';
      case 'r':
        return t.user ?? '%r';
      case 'u':
        return userInfo().username;
      case 'p':
        return String(t.port ?? 22);
      default:
        return `%${c}`;
    }
  });
  return s;
}
