import type { Duplex, Readable } from 'node:stream';

/** Options for a command run on a host. */
export interface ExecOptions {
  /** Run through sudo as this user (default root) when `become` is true. */
  become?: boolean;
  becomeUser?: string;
  /** Extra environment variables, exported in the remote shell before the command. */
  env?: Record<string, string>;
  /** Written to the command's stdin: text, or a stream piped with back-pressure (a file that is never held whole). */
  stdin?: string | Buffer | Readable;
  /** Kill the command (signal the channel) after this many ms. */
  timeoutMs?: number;
  /** Cancel on this signal (Ctrl-C). */
  signal?: AbortSignal;
  /** Called with output chunks as they arrive (live output). */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** Set when the command was killed by a signal or the timeout. */
  signal?: string;
  /** Set when the command was stopped because its timeoutMs ran out (then `signal` is set too). */
  timedOut?: boolean;
  durationMs: number;
}

export interface PutOptions {
  mode?: number;
  owner?: string;
  group?: string;
  become?: boolean;
}

/**
 * The connection contract: four methods, as small as ansible-core's. `cmd` is a POSIX shell command line
 * (run by the remote login shell, `sh -c`). Implementations: ssh (ssh2, one connection per host, reused),
 * local (child_process).
 */
export interface Connection {
  readonly host: string;
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Upload: a local file path, an in-memory buffer, or a stream, to a remote path (streamed, never held whole). */
  put(src: string | Buffer | Readable, dest: string, opts?: PutOptions): Promise<void>;
  /** Download a remote file to a local path (streamed). */
  get(src: string, dest: string, opts?: { become?: boolean }): Promise<void>;
  /**
   * A TCP stream to `address:port` as seen from the host (ssh: a direct-tcpip channel, `forwardOut`; local: a
   * socket). Optional: a connection without it cannot tunnel.
   */
  forward?(address: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}

/** The resolved connection settings for one host (from inventory vars and ~/.ssh/config). */
export interface ConnectionSpec {
  host: string; // inventory name
  kind: 'ssh' | 'local';
  address: string; // ansible_host or the name
  port: number;
  user: string;
  privateKeyFiles: string[];
  passphraseEnv?: string;
  /** Login password (ansible_password / ansible_ssh_pass, or --ask-pass), offered after the keys. Secret. */
  password?: string;
  useAgent: boolean;
  proxyJump: string[]; // hops, each "user@host:port"
  knownHostsFiles: string[];
  strictHostKeyChecking: 'yes' | 'accept-new' | 'no';
  /** Record accepted keys with hashed names (`HashKnownHosts`: the user's ssh config, else the system's). */
  hashKnownHosts?: boolean;
  become: boolean;
  becomeUser: string;
  becomePassword?: string;
  becomeTimeoutMs: number;
  connectTimeoutMs: number;
  sshConfigFile?: string;
}
