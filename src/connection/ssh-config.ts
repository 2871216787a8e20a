import { readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import SSHConfig from 'ssh-config';
import { LifeboatError } from '../errors.js';

/**
 * ~/.ssh/config through the maintained `ssh-config` parser: `Host` patterns (first value obtained wins, as
 * OpenSSH), option names lowercased. `Match exec` is never run. `Include` is not followed (say so if needed).
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
    config = SSHConfig.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LifeboatError('E_INVENTORY', `${file}: cannot parse ssh config: ${(e as Error).message}`, { cause: e });
  }
  cache.set(file, { mtimeMs, config });
  return config;
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
