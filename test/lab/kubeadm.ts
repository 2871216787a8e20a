/**
 * The `kubeadm` topology: etcd and kube-apiserver as static pods. /etc/kubernetes/manifests/{etcd,kube-apiserver}.yaml
 * as kubeadm writes them (its flags, PKI under /etc/kubernetes/pki, hostPath /var/lib/etcd, etcd as root, the
 * etcd name = the node name, no --initial-cluster-token), run by a kubelet stand-in (kubelet-standin.cjs, a
 * systemd unit). The pods' "images" are directories under /opt/lifeboat-lab-images (a lower overlay layer):
 * no etcd, etcdctl or etcdutl on the host's PATH, as on a kubeadm node.
 */
import { copyFile, link, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { HostSpec } from './hostfiles.js';
import { LAB_SRC_DIR } from './paths.js';
import { HOST_PKI } from './services.js';
import { APISERVER_SCRIPT } from './standins.js';

export const MANIFESTS = '/etc/kubernetes/manifests';
export const IMAGES = '/opt/lifeboat-lab-images';

/** The lab's lower layer for /opt: lifeboat-lab-images/{etcd,kube-apiserver}/bin. */
export async function makeImagesLayer(labDir: string, releaseBinDir: string): Promise<string> {
  const layer = path.join(labDir, 'layers', 'opt-kubeadm');
  const etcdBin = path.join(layer, 'lifeboat-lab-images', 'etcd', 'bin');
  const apiBin = path.join(layer, 'lifeboat-lab-images', 'kube-apiserver', 'bin');
  await mkdir(etcdBin, { recursive: true });
  await mkdir(apiBin, { recursive: true });
  const put = async (src: string, dst: string) => {
    try {
      await link(src, dst);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      await copyFile(src, dst);
    }
  };
  // the etcd image has etcd, etcdctl and (3.5) etcdutl; the apiserver stand-in uses etcdctl as its client
  for (const t of ['etcd', 'etcdctl', 'etcdutl']) await put(path.join(releaseBinDir, t), path.join(etcdBin, t));
  await put(path.join(releaseBinDir, 'etcdctl'), path.join(apiBin, 'etcdctl'));
  await writeFile(path.join(apiBin, 'kube-apiserver'), APISERVER_SCRIPT, { mode: 0o755 });
  return layer;
}

const hostPath = (name: string, p: string, type: string) => ({ hostPath: { path: p, type }, name });

export function etcdManifest(h: HostSpec, initialCluster: string, version: string): string {
  const command = [
    'etcd',
    `--advertise-client-urls=${h.clientUrl}`,
    `--cert-file=${HOST_PKI}/server.crt`,
    '--client-cert-auth=true',
    '--data-dir=/var/lib/etcd',
    '--experimental-initial-corrupt-check=true',
    `--initial-advertise-peer-urls=${h.peerUrl}`,
    `--initial-cluster=${initialCluster}`,
    '--initial-cluster-state=new',
    `--key-file=${HOST_PKI}/server.key`,
    `--listen-client-urls=https://127.0.0.1:2379,${h.clientUrl}`,
    '--listen-metrics-urls=http://127.0.0.1:2381',
    `--listen-peer-urls=${h.peerUrl}`,
    `--name=${h.etcdName}`,
    `--peer-cert-file=${HOST_PKI}/peer.crt`,
    '--peer-client-cert-auth=true',
    `--peer-key-file=${HOST_PKI}/peer.key`,
    `--peer-trusted-ca-file=${HOST_PKI}/ca.crt`,
    '--snapshot-count=10000',
    `--trusted-ca-file=${HOST_PKI}/ca.crt`,
  ];
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': h.clientUrl },
      labels: { component: 'etcd', tier: 'control-plane' },
      name: 'etcd',
      namespace: 'kube-system',
    },
    spec: {
      containers: [{
        command,
        image: `registry.k8s.io/etcd:${version}-0`,
        imagePullPolicy: 'IfNotPresent',
        name: 'etcd',
        volumeMounts: [{ mountPath: '/var/lib/etcd', name: 'etcd-data' }, { mountPath: HOST_PKI, name: 'etcd-certs' }],
      }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: [hostPath('etcd-certs', HOST_PKI, 'DirectoryOrCreate'), hostPath('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate')],
    },
    status: {},
  };
  return stringify(pod, { lineWidth: 0 });
}

export function apiserverManifest(h: HostSpec): string {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels: { component: 'kube-apiserver', tier: 'control-plane' }, name: 'kube-apiserver', namespace: 'kube-system' },
    spec: {
      containers: [{
        command: [
          'kube-apiserver',
          `--advertise-address=${h.address}`,
          `--etcd-cafile=${HOST_PKI}/ca.crt`,
          '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
          '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
          '--etcd-servers=https://127.0.0.1:2379',
        ],
        image: 'registry.k8s.io/kube-apiserver:v1.30.0',
        name: 'kube-apiserver',
      }],
      hostNetwork: true,
      terminationGracePeriodSeconds: 5,
    },
  };
  return stringify(pod, { lineWidth: 0 });
}

export function kubeletUnit(): string {
  return `# kubelet — Lifeboat lab stand-in: runs the static pods in ${MANIFESTS}.
[Unit]
Description=kubelet: The Kubernetes Node Agent (Lifeboat lab stand-in)
After=network-online.target

[Service]
Environment=NODE_PATH=${path.resolve(LAB_SRC_DIR, '../../node_modules')}
ExecStart=/usr/bin/node ${path.join(LAB_SRC_DIR, 'kubelet-standin.cjs')}
Restart=always
RestartSec=1
StandardOutput=append:/var/log/kubelet.log
StandardError=inherit

[Install]
WantedBy=multi-user.target
`;
}
