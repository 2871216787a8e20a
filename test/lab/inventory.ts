/** The lab's client-side files: ssh_config, known_hosts and a Lifeboat/Ansible inventory (YAML and INI). */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { HostSpec } from './hostfiles.js';
import { BINARY_TOKEN, BINARY_WAL_DIR, SSL_DIR } from './binary.js';
import { HOST_DATA_DIR, HOST_PKI } from './services.js';

export interface ClientFilesInput {
  dir: string;
  hosts: HostSpec[];
  hostKeys: Map<string, string>;
  clientKey: string;
  knownHosts: string;
  sshConfig: string;
  inventoryYaml: string;
  inventoryIni: string;
  tls: boolean;
  etcdUser: string;
  labId: number;
  topology?: 'debian' | 'binary' | 'kubeadm';
}

export function sshConfigText(i: ClientFilesInput): string {
  return i.hosts
    .map(
      (h) => `Host ${h.name} ${h.address}
  HostName ${h.address}
  User root
  Port 22
  IdentityFile ${i.clientKey}
  IdentitiesOnly yes
  UserKnownHostsFile ${i.knownHosts}
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  LogLevel ERROR
`,
    )
    .join('\n');
}

export function knownHostsText(i: ClientFilesInput): string {
  return i.hosts.map((h) => `${h.name},${h.address} ${i.hostKeys.get(h.name) ?? ''}\n`).join('');
}

function hostVars(i: ClientFilesInput, h: HostSpec): Record<string, string> {
  const v: Record<string, string> = {
    ansible_host: h.address,
    ansible_user: 'root',
    ansible_ssh_private_key_file: i.clientKey,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${i.knownHosts} -o StrictHostKeyChecking=yes`,
  };
  if (h.etcd && h.etcdName && h.peerUrl && h.clientUrl) {
    v.etcd_name = h.etcdName;
    v.etcd_peer_url = h.peerUrl;
    v.etcd_client_url = h.clientUrl;
  }
  return v;
}

/** Group vars of `etcd`: where things are on the etcd hosts. */
export function etcdGroupVars(i: ClientFilesInput): Record<string, string | boolean> {
  const v: Record<string, string | boolean> = {
    etcd_data_dir: HOST_DATA_DIR,
    etcd_service: 'etcd',
    etcd_user: i.etcdUser,
    etcd_config_file: '/etc/default/etcd',
    etcd_initial_cluster_token: `lifeboat-lab-${i.labId}`,
    etcd_initial_cluster: i.hosts
      .filter((h) => h.etcd)
      .map((h) => `${h.etcdName}=${h.peerUrl}`)
      .join(','),
    etcd_tls: i.tls,
  };
  if (i.topology === 'binary') {
    // kubeasz's layout: flags in the unit, PKI in /etc/kubernetes/ssl, a wal dir, etcd as root
    Object.assign(v, {
      etcd_config_file: '/etc/systemd/system/etcd.service',
      etcd_initial_cluster_token: BINARY_TOKEN,
      etcd_wal_dir: BINARY_WAL_DIR,
    });
    if (i.tls) {
      Object.assign(v, {
        etcd_ca_file: `${SSL_DIR}/ca.pem`, etcd_cert_file: `${SSL_DIR}/etcd.pem`, etcd_key_file: `${SSL_DIR}/etcd-key.pem`,
        etcd_peer_cert_file: `${SSL_DIR}/etcd.pem`, etcd_peer_key_file: `${SSL_DIR}/etcd-key.pem`,
        etcd_client_cert_file: `${HOST_PKI}/healthcheck-client.crt`, etcd_client_key_file: `${HOST_PKI}/healthcheck-client.key`,
      });
    }
  } else if (i.tls) {
    if (i.topology === 'kubeadm') {
      // a static pod: no service; the flags are in the manifest; kubeadm sets no token (etcd's default)
      delete v.etcd_service;
      Object.assign(v, { etcd_runtime: 'static-pod', etcd_config_file: '/etc/kubernetes/manifests/etcd.yaml', etcd_initial_cluster_token: 'etcd-cluster' });
    }
    Object.assign(v, {
      etcd_ca_file: `${HOST_PKI}/ca.crt`,
      etcd_cert_file: `${HOST_PKI}/server.crt`,
      etcd_key_file: `${HOST_PKI}/server.key`,
      etcd_peer_cert_file: `${HOST_PKI}/peer.crt`,
      etcd_peer_key_file: `${HOST_PKI}/peer.key`,
      etcd_client_cert_file: `${HOST_PKI}/healthcheck-client.crt`,
      etcd_client_key_file: `${HOST_PKI}/healthcheck-client.key`,
    });
  }
  return v;
}

const names = (hs: HostSpec[]): Record<string, null> => Object.fromEntries(hs.map((h) => [h.name, null]));

/** Group vars of `kube_master`: kubeadm's control plane is static pods (stopped by moving manifests aside). */
export function masterGroupVars(i: ClientFilesInput): Record<string, string> {
  return i.topology === 'kubeadm' ? { kube_control_plane_mode: 'static-pod' } : {};
}

export function inventoryYamlText(i: ClientFilesInput): string {
  const doc = {
    all: {
      hosts: Object.fromEntries(i.hosts.map((h) => [h.name, hostVars(i, h)])),
      children: {
        etcd: { hosts: names(i.hosts.filter((h) => h.etcd)), vars: etcdGroupVars(i) },
        kube_master: {
          hosts: names(i.hosts.filter((h) => h.master)),
          ...(Object.keys(masterGroupVars(i)).length > 0 ? { vars: masterGroupVars(i) } : {}),
        },
        kube_node: { hosts: names(i.hosts.filter((h) => !h.master)) },
      },
    },
  };
  return `# Lifeboat lab ${i.labId} — written by test/lab; gone when the lab stops.\n${stringify(doc, { nullStr: '', lineWidth: 0 })}`;
}

/** An INI value as Ansible reads it back (a Python literal): booleans as True/False, text quoted when needed. */
const iniValue = (v: string | boolean): string => {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  const s = v;
  return /[\s"'#;=]/.test(s) ? `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : s;
};

export function inventoryIniText(i: ClientFilesInput): string {
  const lines = [`# Lifeboat lab ${i.labId} — written by test/lab; gone when the lab stops.`];
  for (const h of i.hosts) {
    const vars = Object.entries(hostVars(i, h)).map(([k, v]) => `${k}=${iniValue(v)}`);
    lines.push(`${h.name} ${vars.join(' ')}`);
  }
  const group = (g: string, hs: HostSpec[]) => lines.push('', `[${g}]`, ...hs.map((h) => h.name));
  group('etcd', i.hosts.filter((h) => h.etcd));
  group('kube_master', i.hosts.filter((h) => h.master));
  group('kube_node', i.hosts.filter((h) => !h.master));
  lines.push('', '[etcd:vars]', ...Object.entries(etcdGroupVars(i)).map(([k, v]) => `${k}=${iniValue(v)}`));
  const mv = Object.entries(masterGroupVars(i));
  if (mv.length > 0) lines.push('', '[kube_master:vars]', ...mv.map(([k, v]) => `${k}=${iniValue(v)}`));
  return `${lines.join('\n')}\n`;
}

export async function writeClientFiles(i: ClientFilesInput): Promise<void> {
  await Promise.all([
    writeFile(i.sshConfig, sshConfigText(i), { mode: 0o600 }),
    writeFile(i.knownHosts, knownHostsText(i)),
    writeFile(i.inventoryYaml, inventoryYamlText(i)),
    writeFile(i.inventoryIni, inventoryIniText(i)),
  ]);
}
