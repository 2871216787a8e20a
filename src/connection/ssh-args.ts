import { LifeboatError } from '../errors.js';

/**
 * `ansible_ssh_common_args` / `ansible_ssh_extra_args`: the ssh command-line options that matter for the
 * connection (`-o Key=Value`, `-o "Key Value"`, `-oKey=Value`, `-J`, `-p`, `-l`, `-i`). Other flags are ignored.
 * Option names come back lowercased, as OpenSSH treats them; values keep every occurrence in order.
 */

export type SshOptions = Map<string, string[]>;

/** Splits a command line into words like a POSIX shell (single/double quotes, backslashes), no expansion. */
export function shellWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1] as string)) i++;
        cur += s[i];
        i++;
      }
      if (i >= s.length) throw new Error('unterminated double quote');
      inWord = true;
      i++;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

function add(opts: SshOptions, key: string, value: string): void {
  const k = key.toLowerCase();
  const list = opts.get(k) ?? [];
  list.push(value);
  opts.set(k, list);
}

function addOption(opts: SshOptions, text: string, where: string): void {
  const m = /^\s*([A-Za-z]+)\s*(?:=|\s)\s*(.*)$/s.exec(text);
  if (!m?.[1] || m[2] === undefined) {
    throw new LifeboatError('E_INVENTORY', `${where}: cannot read ssh option ${JSON.stringify(text)}`, {
      hint: 'write it as -o Key=Value or -o "Key Value"',
    });
  }
  add(opts, m[1], m[2].trim());
}

export function parseSshArgs(args: string, where: string, into: SshOptions = new Map()): SshOptions {
  let words: string[];
  try {
    words = shellWords(args);
  } catch (e) {
    throw new LifeboatError('E_INVENTORY', `${where}: ${(e as Error).message} in ${JSON.stringify(args)}`);
  }
  const flagOption: Record<string, string> = { '-J': 'proxyjump', '-p': 'port', '-l': 'user', '-i': 'identityfile' };
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-o') {
      const next = words[++i];
      if (next === undefined) throw new LifeboatError('E_INVENTORY', `${where}: -o without an option`);
      addOption(into, next, where);
    } else if (w.startsWith('-o')) {
      addOption(into, w.slice(2), where);
    } else if (flagOption[w.slice(0, 2)]) {
      const key = flagOption[w.slice(0, 2)] as string;
      const value = w.length > 2 ? w.slice(2) : words[++i];
      if (value === undefined) throw new LifeboatError('E_INVENTORY', `${where}: ${w} without a value`);
      add(into, key, value);
    }
  }
  return into;
}

/** `ProxyCommand ssh -W %h:%p [-p port] [-l user] [user@]bastion` → the bastion as a jump hop, else undefined. */
export function proxyCommandAsJump(cmd: string): string | undefined {
  let words: string[];
  try {
    words = shellWords(cmd);
  } catch {
    return undefined;
  }
  if (!/(^|\/)ssh$/.test(words[0] ?? '') || !words.includes('-W')) return undefined;
  let user: string | undefined;
  let port: string | undefined;
  let host: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-W' || w === '-o' || w === '-i' || w === '-F') i++;
    else if (w === '-p') port = words[++i];
    else if (w === '-l') user = words[++i];
    else if (!w.startsWith('-')) host = w;
  }
  if (!host) return undefined;
  const withUser = user && !host.includes('@') ? `${user}@${host}` : host;
  return port ? `${withUser}:${port}` : withUser;
}

export interface Hop {
  address: string;
  port: number;
  user: string;
}

/** `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseHop(text: string, defaultUser: string, defaultPort = 22): Hop {
  let s = text.trim().replace(/^ssh:\/\//, '');
  let user = defaultUser;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let address = s;
  let port = defaultPort;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6?.[1]) {
    address = v6[1];
    if (v6[2]) port = Number(v6[2]);
  } else {
    const m = /^([^:]+):(\d+)$/.exec(s);
    if (m?.[1] && m[2]) {
      address = m[1];
      port = Number(m[2]);
    }
  }
  if (!address || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LifeboatError('E_INVENTORY', `cannot read jump host ${JSON.stringify(text)}`, {
      hint: 'write it as user@host:port',
    });
  }
  return { address, port, user };
}
