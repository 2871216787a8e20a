import { homedir, userInfo } from 'node:os';
import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { parseHop, parseSshArgs, proxyCommandAsJump, type SshOptions } from './ssh-args.js';
import { all, defaultSshConfigFile, expandPath, first, type SshConfigValues, sshConfigFor } from './ssh-config.js';
import type { ConnectionSpec } from './types.js';

export interface SpecOptions {
  sshConfigFile?: string;
  /** The system-wide ssh config, read after the user's as OpenSSH does (only `HashKnownHosts` is taken from it). */
  systemSshConfigFile?: string;
  acceptNewHostKeys?: boolean;
  becomePassword?: string;
  /** The login password for hosts whose inventory sets none (--ask-pass, LIFEBOAT_SSH_PASSWORD). */
  password?: string;
  connectTimeoutMs?: number;
  becomeTimeoutMs?: number;
}

export const DEFAULT_BECOME_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Debian's (and OpenSSH's) system-wide client config; Debian sets `HashKnownHosts yes` in it. */
export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export function defaultKeyFiles(): string[] {
  const h = homedir();
  return [`${h}/.ssh/id_ed25519`, `${h}/.ssh/id_ecdsa`, `${h}/.ssh/id_rsa`];
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  return /^(1|true|yes|on|y)$/i.test(String(v).trim());
}

function portOf(host: string, v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new LifeboatError('E_INVENTORY', `${what} ${JSON.stringify(v)} is not a port number`, {
      host,
      hint: 'use a number from 1 to 65535',
    });
  }
  return n;
}

function strictOf(v: string | undefined): ConnectionSpec['strictHostKeyChecking'] | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s === 'no' || s === 'off' || s === 'false') return 'no';
  if (s === 'accept-new') return 'accept-new';
  return 'yes'; // yes, ask (we never prompt)
}

/** The resolved jump hops, each `user@host:port`, every hop's own ssh config applied. */
function resolveJumps(text: string | undefined, loginUser: string, configFile: string): string[] {
  if (!text || text.toLowerCase() === 'none') return [];
  return text.split(',').map((raw) => {
    const bare = raw.trim().replace(/^ssh:\/\//, '');
    const name = parseHop(bare, '').address;
    const cfg = sshConfigFor(name, configFile);
    const cfgUser = first(cfg.user);
    const hop = parseHop(bare, cfgUser ?? loginUser, portOf(name, first(cfg.port), 'Port') ?? 22);
    const address = first(cfg.hostname)?.replace(/%h/g, hop.address) ?? hop.address;
    const a = address.includes(':') ? `[${address}]` : address;
    return `${hop.user}@${a}:${hop.port}`;
  });
}

/** Maps a host's ansible_* variables and ~/.ssh/config to a ConnectionSpec (inventory vars win, as Ansible). */
export function connectionSpecFor(host: string, vars: Vars, opts: SpecOptions = {}): ConnectionSpec {
  const target = str(vars.ansible_host) ?? str(vars.ansible_ssh_host) ?? host;
  const conn = str(vars.ansible_connection);
  let kind: ConnectionSpec['kind'];
  if (conn === undefined) kind = LOCAL_NAMES.has(target) ? 'local' : 'ssh';
  else if (conn === 'local') kind = 'local';
  else if (conn === 'ssh' || conn === 'smart' || conn === 'paramiko' || conn === 'ansible.builtin.ssh') kind = 'ssh';
  else {
    throw new LifeboatError('E_INVENTORY', `ansible_connection ${JSON.stringify(conn)} is not supported`, {
      host,
      hint: 'use ssh or local',
    });
  }

  const args: SshOptions = new Map();
  const common = str(vars.ansible_ssh_common_args);
  const extra = str(vars.ansible_ssh_extra_args);
  if (common) parseSshArgs(common, `host ${host}: ansible_ssh_common_args`, args);
  if (extra) parseSshArgs(extra, `host ${host}: ansible_ssh_extra_args`, args);
  const arg = (k: string) => args.get(k)?.[0];

  const configFile = opts.sshConfigFile ?? defaultSshConfigFile();
  const cfg: SshConfigValues = kind === 'ssh' ? sshConfigFor(target, configFile) : {};
  const opt = (k: string) => arg(k) ?? first(cfg[k]);

  const address = (arg('hostname') ?? first(cfg.hostname))?.replace(/%h/g, target) ?? target;
  const port =
    portOf(host, str(vars.ansible_port) ?? str(vars.ansible_ssh_port), 'ansible_port') ??
    portOf(host, opt('port'), 'Port') ??
    22;
  const user = str(vars.ansible_user) ?? str(vars.ansible_ssh_user) ?? opt('user') ?? userInfo().username;
  const tokens = { host: address, origHost: target, user, port };

  const varKey = str(vars.ansible_ssh_private_key_file) ?? str(vars.ansible_private_key_file);
  const keys = [...(varKey ? [varKey] : []), ...(args.get('identityfile') ?? []), ...all(cfg.identityfile)];
  const privateKeyFiles = [...new Set((keys.length ? keys : defaultKeyFiles()).map((k) => expandPath(k, tokens)))];

  const identitiesOnly = opt('identitiesonly')?.toLowerCase() === 'yes';
  const agentOff = opt('identityagent')?.toLowerCase() === 'none';

  const jumpText = opt('proxyjump') ?? proxyCommandAsJump(opt('proxycommand') ?? '');
  const proxyJump = kind === 'ssh' ? resolveJumps(jumpText, user, configFile) : [];

  const split = (v: string[]) => v.flatMap((s) => s.split(/\s+/)).filter(Boolean);
  const userKh = args.get('userknownhostsfile') ?? all(cfg.userknownhostsfile);
  const globalKh = args.get('globalknownhostsfile') ?? all(cfg.globalknownhostsfile);
  const knownHostsFiles = [
    ...(userKh.length ? split(userKh) : ['~/.ssh/known_hosts']),
    ...(globalKh.length ? split(globalKh) : ['/etc/ssh/ssh_known_hosts']),
  ].map((f) => expandPath(f, tokens));

  const checkingVar = bool(vars.ansible_host_key_checking) ?? bool(process.env.ANSIBLE_HOST_KEY_CHECKING);
  let strict: ConnectionSpec['strictHostKeyChecking'] = checkingVar === false ? 'no' : (strictOf(opt('stricthostkeychecking')) ?? 'yes');
  if (strict === 'yes' && opts.acceptNewHostKeys) strict = 'accept-new';
  const hashText =
    opt('hashknownhosts') ??
    (kind === 'ssh' ? first(sshConfigFor(target, opts.systemSshConfigFile ?? SYSTEM_SSH_CONFIG).hashknownhosts) : undefined);
  const hashKnownHosts = hashText?.toLowerCase() === 'yes';

  const timeoutS = str(vars.ansible_ssh_timeout) ?? str(vars.ansible_timeout) ?? opt('connecttimeout');
  const becomePassword =
    str(vars.ansible_become_password) ?? str(vars.ansible_become_pass) ?? str(vars.ansible_sudo_pass) ??
    opts.becomePassword;
  const passphraseEnv = str(vars.lifeboat_key_passphrase_env);
  const password = str(vars.ansible_password) ?? str(vars.ansible_ssh_pass) ?? str(vars.ansible_ssh_password) ?? opts.password;

  return {
    host,
    kind,
    address: kind === 'local' ? target : address,
    port,
    user: kind === 'local' ? userInfo().username : user,
    privateKeyFiles,
    ...(passphraseEnv ? { passphraseEnv } : {}),
    ...(password !== undefined && kind === 'ssh' ? { password } : {}),
    useAgent: !identitiesOnly && !agentOff,
    proxyJump,
    knownHostsFiles,
    strictHostKeyChecking: strict,
    ...(hashKnownHosts ? { hashKnownHosts } : {}),
    become: bool(vars.ansible_become) ?? false,
    becomeUser: str(vars.ansible_become_user) ?? 'root',
    ...(becomePassword !== undefined ? { becomePassword } : {}),
    becomeTimeoutMs: opts.becomeTimeoutMs ?? DEFAULT_BECOME_TIMEOUT_MS,
    connectTimeoutMs:
      opts.connectTimeoutMs ?? (timeoutS !== undefined && Number(timeoutS) > 0 ? Number(timeoutS) * 1000 : DEFAULT_CONNECT_TIMEOUT_MS),
    ...(kind === 'ssh' ? { sshConfigFile: configFile } : {}),
  };
}
