import type { Connection } from '../../connection/types.js';
import { shellQuote } from '../../connection/quote.js';
import { idHex } from './etcdctl.js';
import type { MemberView } from './observe.js';
import { openTunnel } from './tunnel.js';
import type { PlannedMember } from './types.js';

const ALARM_ERR = /alarm:(NOSPACE|CORRUPT)/;

/** The member's TLS files, read on its node into memory for this call only (never written on the controller). */
async function readTls(conn: Connection, m: PlannedMember, become: boolean): Promise<{ rootCertificate?: Buffer; certChain?: Buffer; privateKey?: Buffer }> {
  const read = async (f: string | undefined) => {
    if (!f) return undefined;
    const r = await conn.exec(`base64 -w0 < ${shellQuote(f)}`, { become, timeoutMs: 15_000 });
    if (r.rc !== 0) throw new Error(`cannot read ${f} on ${m.host}: ${r.stderr.trim()}`);
    return Buffer.from(r.stdout.trim(), 'base64');
  };
  const [ca, cert, key] = await Promise.all([read(m.tls.ca_file), read(m.tls.cert_file), read(m.tls.key_file)]);
  return { ...(ca ? { rootCertificate: ca } : {}), ...(cert ? { certChain: cert } : {}), ...(key ? { privateKey: key } : {}) };
}

/**
 * Runs `fn` with an etcd3 client that reaches the member through an SSH tunnel to its client URL, with the
 * member's TLS files read from its node into memory; closes client and tunnel after.
 */
export async function withTunnelClient<T>(m: PlannedMember, conn: Connection, become: boolean, fn: (c: import('etcd3').Etcd3) => Promise<T>): Promise<T> {
  const tunnel = await openTunnel(conn, m.client_url);
  let client: import('etcd3').Etcd3 | undefined;
  try {
    const https = m.client_url.startsWith('https:');
    const tls = https ? await readTls(conn, m, become) : {};
    const { Etcd3 } = await import('etcd3');
    const name = new URL(m.client_url).hostname;
    client = new Etcd3({
      hosts: tunnel.url,
      dialTimeout: 3000,
      ...(https ? { credentials: { rootCertificate: tls.rootCertificate ?? Buffer.alloc(0), ...(tls.certChain ? { certChain: tls.certChain } : {}), ...(tls.privateKey ? { privateKey: tls.privateKey } : {}) } } : {}),
      grpcOptions: { 'grpc.ssl_target_name_override': name, 'grpc.default_authority': name },
    });
    return await fn(client);
  } finally {
    client?.close();
    await tunnel.close();
  }
}

/**
 * What a member says, read from the controller with the etcd3 client through an SSH tunnel to its client URL
 * (for nodes without etcdctl): endpoint status, health (a linearizable read, as `etcdctl endpoint health`), the
 * member list; alarms from the status's errors (no `alarm list`: it goes through raft). Read-only.
 */
export async function viewOverTunnel(m: PlannedMember, conn: Connection, become: boolean): Promise<MemberView> {
  const base: MemberView = { host: m.host, endpoint: m.client_url, reachable: false, healthy: false, alarms: [] };
  try {
    return await withTunnelClient(m, conn, become, async (client) => {
      const deadline = () => ({ deadline: Date.now() + 5000 });
      const st = await client.maintenance.status(deadline());
      const v: MemberView = {
        ...base,
        reachable: true,
        member_id: idHex(st.header.member_id),
        cluster_id: idHex(st.header.cluster_id),
        leader: idHex(st.leader),
        raft_term: Number(st.raftTerm),
        raft_index: Number(st.raftIndex),
        revision: Number(st.header.revision),
        db_size: Number(st.dbSize),
        version: st.version,
      };
      const errors = (st as { errors?: string[] }).errors ?? [];
      for (const e of errors) {
        const a = ALARM_ERR.exec(e);
        if (a?.[1]) v.alarms.push({ member_id: v.member_id ?? '', alarm: a[1] });
      }
      try {
        await client.get('health').exec();
        v.healthy = errors.length === 0;
        if (!v.healthy) v.error = errors.join('; ');
      } catch (e) {
        v.error = `health: ${(e as Error).message.split('\n')[0]}`;
      }
      const ml = await client.cluster.memberList({ linearizable: false }, deadline());
      v.members = ml.members.map((x) => ({ id: idHex(x.ID), name: x.name, peer_urls: x.peerURLs, client_urls: x.clientURLs }));
      return v;
    });
  } catch (e) {
    return { ...base, error: `over an SSH tunnel: ${(e as Error).message.split('\n')[0]}` };
  }
}
