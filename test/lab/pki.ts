/**
 * The lab's etcd PKI, laid out like kubeadm's (/etc/kubernetes/pki/etcd/…): a CA, per host a server and a
 * peer certificate whose SANs cover the host's address, name and 127.0.0.1, a healthcheck client certificate,
 * apiserver-etcd-client for the masters, and a client certificate for the controller. ECDSA P-256 (fast).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runOk } from './proc.js';

export interface CertPair {
  crt: string;
  key: string;
}

export interface LabPki {
  dir: string;
  ca: CertPair;
  /** Controller's client certificate (CN lifeboat-lab-controller). */
  client: CertPair;
  healthcheck: CertPair;
  apiserverClient: CertPair;
  server: Map<string, CertPair>;
  peer: Map<string, CertPair>;
}

const DAYS = '3650';
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function leaf(dir: string, name: string, ca: CertPair, cn: string, eku: string, sans?: string[]): Promise<CertPair> {
  const p = { crt: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  await runOk('openssl', [
    'req', '-x509', ...KEY, '-keyout', p.key, '-out', p.crt, '-days', DAYS, '-subj', `/CN=${cn}`,
    '-CA', ca.crt, '-CAkey', ca.key,
    '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
    '-addext', `extendedKeyUsage=${eku}`,
    ...(sans ? ['-addext', `subjectAltName=${sans.join(',')}`] : []),
  ]);
  return p;
}

export interface PkiHost {
  name: string;
  hostname: string;
  address: string;
}

/** Create every certificate the lab needs under `dir` (in parallel; a handful of openssl runs). */
export async function makePki(dir: string, labId: number, etcdHosts: PkiHost[]): Promise<LabPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = { crt: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  await runOk('openssl', [
    'req', '-x509', ...KEY, '-keyout', ca.key, '-out', ca.crt, '-days', DAYS,
    '-subj', `/CN=etcd-ca (lifeboat lab ${labId})`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  const both = 'serverAuth,clientAuth';
  const sansOf = (h: PkiHost): string[] => {
    const dns = [...new Set([h.name, h.hostname, 'localhost'])].map((d) => `DNS:${d}`);
    return [...dns, `IP:${h.address}`, 'IP:127.0.0.1', 'IP:0:0:0:0:0:0:0:1'];
  };
  const [client, healthcheck, apiserverClient, ...perHost] = await Promise.all([
    leaf(dir, 'lifeboat-client', ca, 'lifeboat-lab-controller', 'clientAuth'),
    leaf(dir, 'healthcheck-client', ca, 'kube-etcd-healthcheck-client', 'clientAuth'),
    leaf(dir, 'apiserver-etcd-client', ca, 'kube-apiserver-etcd-client', 'clientAuth'),
    ...etcdHosts.flatMap((h) => [
      leaf(dir, `${h.name}-server`, ca, h.hostname, both, sansOf(h)),
      leaf(dir, `${h.name}-peer`, ca, h.hostname, both, sansOf(h)),
    ]),
  ]);
  const server = new Map<string, CertPair>();
  const peer = new Map<string, CertPair>();
  etcdHosts.forEach((h, i) => {
    server.set(h.name, perHost[2 * i] as CertPair);
    peer.set(h.name, perHost[2 * i + 1] as CertPair);
  });
  return {
    dir,
    ca,
    client: client as CertPair,
    healthcheck: healthcheck as CertPair,
    apiserverClient: apiserverClient as CertPair,
    server,
    peer,
  };
}
