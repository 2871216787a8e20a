import { createHash } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { LifeboatError } from '../errors.js';
import { type AuthPlan, planAuth, toAuthHandler } from './auth.js';
import { prepareHostKeyCheck } from './host-key.js';
import { JumpHosts, type JumpLease } from './jump-hosts.js';
import { parseHop } from './ssh-args.js';
import type { ConnectionSpec } from './types.js';

/** One SSH hop or the target itself. */
interface Endpoint {
  address: string;
  port: number;
  user: string;
}

export interface OpenedClient {
  client: ssh2.Client;
  /** Holds on the jump-host connections, first hop first; let go of together with `client`. */
  hops: JumpLease[];
  /** Stops ending `client` when a hop closes (set by openClient). */
  unwatchHops: () => void;
}

export interface ConnectContext {
  onWarning?: (msg: string) => void;
  explicitKeyFiles?: string[];
  /** Jump-host connections to share with other targets (the pool's); default: this target's own. */
  jumps?: JumpHosts;
}

const KEEPALIVE_MS = 15_000;

function unreachable(spec: ConnectionSpec, ep: Endpoint, why: string, cause?: unknown): LifeboatError {
  const via = ep.address === spec.address && ep.port === spec.port ? '' : ` (via jump host ${ep.address}:${ep.port})`;
  return new LifeboatError('E_UNREACHABLE', `cannot reach ${spec.address}:${spec.port}${via}: ${why}`, {
    host: spec.host,
    cause,
    hint: 'check that the host is up, that sshd listens on that port, and ansible_host/ansible_port',
  });
}

function tcpConnect(spec: ConnectionSpec, ep: Endpoint): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: ep.address, port: ep.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(unreachable(spec, ep, `TCP connect timed out after ${spec.connectTimeoutMs} ms`));
    }, spec.connectTimeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.setNoDelay(true); // Nagle off: one exec round trip ~3 ms instead of ~45 ms
      resolve(sock);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(unreachable(spec, ep, e.code ?? e.message, e));
    });
  });
}

function forwardOut(spec: ConnectionSpec, via: ssh2.Client, ep: Endpoint): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, ep.address, ep.port, (err, stream) => {
      if (err) reject(unreachable(spec, ep, `jump host could not open a channel to it: ${err.message}`, err));
      else resolve(stream);
    });
  });
}

async function handshake(
  spec: ConnectionSpec,
  ep: Endpoint,
  sock: Duplex,
  auth: AuthPlan,
  ctx: ConnectContext,
): Promise<ssh2.Client> {
  const hk = await prepareHostKeyCheck({
    host: spec.host,
    address: ep.address,
    port: ep.port,
    knownHostsFiles: spec.knownHostsFiles,
    strict: spec.strictHostKeyChecking,
    ...(spec.hashKnownHosts ? { hashNames: true } : {}),
    ...(ctx.onWarning ? { onWarning: ctx.onWarning } : {}),
    ...(ep.address !== spec.address || ep.port !== spec.port ? { jump: true } : {}),
  });
  const client = new ssh2.Client();
  let keyError: unknown;
  return new Promise((resolve, reject) => {
    const onError = (e: Error & { level?: string }) => {
      client.end();
      if (keyError) return reject(keyError);
      if (e.level === 'client-authentication') {
        return reject(
          new LifeboatError('E_CONNECT', `authentication failed for ${ep.user}@${ep.address}:${ep.port}`, {
            host: spec.host,
            hint: `tried: ${auth.notes.join('; ') || 'nothing (no agent, no key file)'}. Set ansible_user / ` +
              'ansible_ssh_private_key_file, load the key into ssh-agent, set LIFEBOAT_KEY_PASSPHRASE, or check ansible_password',
          }),
        );
      }
      if (e.level === 'client-timeout') return reject(unreachable(spec, ep, `SSH handshake timed out after ${spec.connectTimeoutMs} ms`, e));
      reject(unreachable(spec, ep, e.message, e));
    };
    client.once('error', onError);
    client.once('ready', () => {
      client.removeListener('error', onError);
      resolve(client);
    });
    client.connect({
      sock: sock as unknown as ssh2.ConnectConfig['sock'],
      host: ep.address,
      port: ep.port,
      username: ep.user,
      authHandler: toAuthHandler(auth),
      algorithms: { serverHostKey: hk.algorithms as ssh2.ServerHostKeyAlgorithm[] },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        hk.check(key).then(
          () => verify(true),
          (e: unknown) => {
            keyError = e;
            verify(false);
          },
        );
      },
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: 4,
      readyTimeout: spec.connectTimeoutMs,
    });
  });
}

/** Opens the connection to spec's host, through its ProxyJump hops if any. */
export async function openClient(spec: ConnectionSpec, ctx: ConnectContext = {}): Promise<OpenedClient> {
  const auth = await planAuth({
    user: spec.user,
    privateKeyFiles: spec.privateKeyFiles,
    useAgent: spec.useAgent,
    ...(spec.passphraseEnv ? { passphraseEnv: spec.passphraseEnv } : {}),
    ...(spec.password !== undefined ? { password: spec.password } : {}),
    ...(ctx.explicitKeyFiles ? { explicitKeyFiles: ctx.explicitKeyFiles } : {}),
  });
  if (auth.methods.length === 0) {
    throw new LifeboatError('E_CONNECT', `no way to authenticate to ${spec.user}@${spec.address}:${spec.port}`, {
      host: spec.host,
      hint: `${auth.notes.join('; ') || 'no ssh-agent and no key file found'}. Set ansible_ssh_private_key_file or SSH_AUTH_SOCK, or ansible_password (--ask-pass)`,
    });
  }
  const endpoints: Endpoint[] = [
    ...spec.proxyJump.map((h) => parseHop(h, spec.user)),
    { address: spec.address, port: spec.port, user: spec.user },
  ];
  const target = endpoints.pop() as Endpoint;
  const jumps = ctx.jumps ?? new JumpHosts();
  // Everything that decides how a hop is reached and trusted: equal keys may share one connection.
  const secret = spec.password === undefined ? '' : createHash('sha256').update(spec.password).digest('hex');
  const how = [secret, spec.privateKeyFiles, ctx.explicitKeyFiles ?? [], spec.passphraseEnv ?? '', spec.useAgent, spec.knownHostsFiles, spec.strictHostKeyChecking, spec.hashKnownHosts ?? false];
  const hops: JumpLease[] = [];
  const dial = async (ep: Endpoint): Promise<ssh2.Client> => {
    const prev = hops[hops.length - 1];
    const sock: Duplex = prev ? await forwardOut(spec, prev.client, ep) : await tcpConnect(spec, ep);
    return handshake(spec, ep, sock, auth, ctx);
  };
  let client: ssh2.Client;
  try {
    for (const [i, ep] of endpoints.entries()) {
      const chain = endpoints.slice(0, i + 1).map((e) => `${e.user}@${e.address}:${e.port}`);
      hops.push(await jumps.acquire(JSON.stringify([chain, how]), () => dial(ep)));
    }
    client = await dial(target);
  } catch (e) {
    for (const h of hops.reverse()) h.release();
    throw e;
  }
  // A hop that drops takes the target with it.
  const onHopClose = () => client.end();
  for (const h of hops) h.client.on('close', onHopClose);
  const unwatchHops = () => {
    for (const h of hops) h.client.removeListener('close', onHopClose);
  };
  return { client, hops, unwatchHops };
}

export function closeOpened(o: OpenedClient): void {
  o.client.end();
  o.unwatchHops();
  for (const h of [...o.hops].reverse()) h.release();
}
