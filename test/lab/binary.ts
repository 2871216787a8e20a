/**
 * The `binary` topology: a host laid out as kubeasz (and most hand-made installs) lay one out. Binaries in
 * /opt/kube/bin (the release's etcd, etcdctl, etcdutl through a lower overlay layer; the stand-ins as files),
 * PKI in /etc/kubernetes/ssl (ca.pem, etcd.pem, etcd-key.pem, kubernetes.pem), and systemd units in
 * /etc/systemd/system with every flag in ExecStart — etcd.service as kubeasz's etcd.service.j2 writes it
 * (`--name=etcd-<host>`, `--initial-cluster-token=etcd-cluster-0`, `--data-dir`, `--wal-dir`, Type=notify,
 * Restart=always), etcd as root. kube-apiserver/-controller-manager/-scheduler on masters, kubelet and
 * kube-proxy on every host (stand-ins, as in the other topologies).
 */
import { link, mkdir, copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostSpec } from './hostfiles.js';
import type { LabPki } from './pki.js';
import { APISERVER_SCRIPT, IDLE_SCRIPT } from './standins.js';

export const BIN_DIR = '/opt/kube/bin';
export const SSL_DIR = '/etc/kubernetes/ssl';
export const BINARY_DATA_DIR = '/var/lib/etcd';
export const BINARY_WAL_DIR = '/var/lib/etcd/wal';
export const BINARY_TOKEN = 'etcd-cluster-0';
/** An empty lower layer for /usr on binary hosts (the host's upper holds whiteouts for /usr/bin/etcd*). */
export const EMPTY_LAYER = '/var/cache/lifeboat/empty-layer';

/** The lab's shared lower layer for /opt: `kube/bin/{etcd,etcdctl,etcdutl}` of the release (hard links). */
export async function makeOptLayer(labDir: string, releaseBinDir: string): Promise<string> {
  const layer = path.join(labDir, 'layers', 'opt');
  const bin = path.join(layer, 'kube', 'bin');
  await mkdir(bin, { recursive: true });
  for (const t of ['etcd', 'etcdctl', 'etcdutl']) {
    const src = path.join(releaseBinDir, t);
    try {
      await link(src, path.join(bin, t));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // 3.4 has no etcdutl
      await copyFile(src, path.join(bin, t)); // another filesystem: a copy (a lower layer is never written)
    }
  }
  return layer;
}

function unit(description: string, exec: string[], o: { notify?: boolean; workdir?: string; restartSec?: number } = {}): string {
  return `[Unit]
Description=${description}
After=network.target
After=network-online.target
Wants=network-online.target

[Service]
Type=${o.notify ? 'notify' : 'simple'}
Environment=PATH=${BIN_DIR}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
${o.workdir ? `WorkingDirectory=${o.workdir}\n` : ''}ExecStart=${exec.join(' \\\n  ')}
Restart=always
RestartSec=${o.restartSec ?? 5}
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
}

export function binaryEtcdUnit(h: HostSpec, initialCluster: string): string {
  return unit('Etcd Server', [
    `${BIN_DIR}/etcd`,
    `--name=${h.etcdName}`,
    `--cert-file=${SSL_DIR}/etcd.pem`,
    `--key-file=${SSL_DIR}/etcd-key.pem`,
    `--peer-cert-file=${SSL_DIR}/etcd.pem`,
    `--peer-key-file=${SSL_DIR}/etcd-key.pem`,
    `--trusted-ca-file=${SSL_DIR}/ca.pem`,
    `--peer-trusted-ca-file=${SSL_DIR}/ca.pem`,
    `--initial-advertise-peer-urls=${h.peerUrl}`,
    `--listen-peer-urls=${h.peerUrl}`,
    `--listen-client-urls=${h.clientUrl},http://127.0.0.1:2379`,
    `--advertise-client-urls=${h.clientUrl}`,
    `--initial-cluster-token=${BINARY_TOKEN}`,
    `--initial-cluster=${initialCluster}`,
    '--initial-cluster-state=new',
    `--data-dir=${BINARY_DATA_DIR}`,
    `--wal-dir=${BINARY_WAL_DIR}`,
    '--snapshot-count=50000',
    '--auto-compaction-retention=1',
    '--auto-compaction-mode=periodic',
    '--max-request-bytes=10485760',
    '--quota-backend-bytes=8589934592',
  ], { notify: true, workdir: BINARY_DATA_DIR, restartSec: 5 });
}

export interface BinaryFiles {
  /** Text files relative to the host's fs dir, with modes. */
  files: { rel: string; text: string; mode?: number }[];
  /** Certificates to copy: [source, rel]. */
  certs: { src: string; rel: string; mode: number }[];
  /** Unit names the host's target wants. */
  units: string[];
}

/** Everything a binary-install host gets, beside what every lab host has. */
export function binaryHostFiles(h: HostSpec, all: HostSpec[], initialCluster: string, pki: LabPki | undefined): BinaryFiles {
  const out: BinaryFiles = { files: [], certs: [], units: [] };
  const u = (name: string, text: string) => {
    out.files.push({ rel: `etc.upper/systemd/system/${name}.service`, text });
    out.units.push(name);
  };
  const standin = (name: string, script: string) => out.files.push({ rel: `opt.upper/kube/bin/${name}`, text: script, mode: 0o755 });
  if (pki) out.certs.push({ src: pki.ca.crt, rel: 'etc-kubernetes/ssl/ca.pem', mode: 0o644 });
  if (h.etcd && h.etcdName && h.peerUrl && h.clientUrl) {
    const pair = pki?.peer.get(h.name); // serverAuth + clientAuth, SANs: name, address, 127.0.0.1
    if (pair) out.certs.push({ src: pair.crt, rel: 'etc-kubernetes/ssl/etcd.pem', mode: 0o644 }, { src: pair.key, rel: 'etc-kubernetes/ssl/etcd-key.pem', mode: 0o600 });
    u('etcd', binaryEtcdUnit(h, initialCluster));
  }
  const servers = all.filter((o) => o.etcd).map((o) => o.clientUrl).join(',');
  if (h.master) {
    if (pki) {
      out.certs.push(
        { src: pki.apiserverClient.crt, rel: 'etc-kubernetes/ssl/kubernetes.pem', mode: 0o644 },
        { src: pki.apiserverClient.key, rel: 'etc-kubernetes/ssl/kubernetes-key.pem', mode: 0o600 },
      );
    }
    standin('kube-apiserver', APISERVER_SCRIPT);
    const tls = pki ? [`--etcd-cafile=${SSL_DIR}/ca.pem`, `--etcd-certfile=${SSL_DIR}/kubernetes.pem`, `--etcd-keyfile=${SSL_DIR}/kubernetes-key.pem`] : [];
    u('kube-apiserver', unit('Kubernetes API Server (Lifeboat lab stand-in)', [`${BIN_DIR}/kube-apiserver`, `--advertise-address=${h.address}`, `--etcd-servers=${servers}`, ...tls]));
    for (const n of ['kube-controller-manager', 'kube-scheduler']) {
      standin(n, IDLE_SCRIPT);
      u(n, unit(`${n} (Lifeboat lab stand-in)`, [`${BIN_DIR}/${n}`, `--kubeconfig=/etc/kubernetes/${n}.kubeconfig`, '--leader-elect=true']));
    }
  }
  for (const n of ['kubelet', 'kube-proxy']) {
    standin(n, IDLE_SCRIPT);
    u(n, unit(`${n} (Lifeboat lab stand-in)`, [`${BIN_DIR}/${n}`, `--kubeconfig=/etc/kubernetes/${n}.kubeconfig`]));
  }
  out.files.push({ rel: 'etc.upper/profile.d/kubeasz-path.sh', text: `export PATH=${BIN_DIR}:$PATH\n` });
  return out;
}
