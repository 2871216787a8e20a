/**
 * The per-host file tree, written on the controller before the host boots. host-boot.sh mounts it:
 * `fs/<x>.upper` as the upper layer of an overlay over /etc, /var and /usr/local (so whatever is written on a
 * host stays on that host), and plain directories over /var/lib/etcd, /etc/etcd, /etc/kubernetes, /var/log,
 * /run, /root and /tmp.
 */
import { chmod, chown, copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { binaryHostFiles } from './binary.js';
import { apiserverManifest, etcdManifest, kubeletUnit } from './kubeadm.js';
import type { CertPair, LabPki } from './pki.js';
import { runOk } from './proc.js';
import { defaultsFile, etcdService, HOST_PKI, initScript, type ServiceDef } from './services.js';
import { etcdDropIn, LAB_TARGET, MASKED_UNITS, serviceUnit, targetUnit } from './systemd-units.js';
import { APISERVER_SCRIPT, apiserverService, IDLE_SCRIPT, idleService } from './standins.js';

export interface HostSpec {
  index: number;
  name: string;
  hostname: string;
  address: string;
  etcd: boolean;
  master: boolean;
  etcdName?: string;
  peerUrl?: string;
  clientUrl?: string;
}

export interface HostFilesInput {
  labId: number;
  hostDir: string;
  host: HostSpec;
  all: HostSpec[];
  tls: boolean;
  etcdUser: string;
  clientPubKey: string;
  pki?: LabPki;
  /** The compiled lab-init on the controller. */
  initBin: string;
  /** A directory laid over the host's /usr (an etcd release other than the machine's: `<release>/usr`). */
  usrLower?: string;
  /** PID 1 of the host: Debian's `service` over /etc/init.d scripts (default), or systemd. */
  init?: 'sysv' | 'systemd';
  /** 'debian' (Debian's packages and /etc/default files, default) or 'binary' (kubeasz's layout, binary.ts). */
  topology?: 'debian' | 'binary' | 'kubeadm';
  /** binary topology: the lab's shared lower layer for /opt (binary.ts makeOptLayer). */
  optLower?: string;
  /** kubeadm topology: the etcd version its manifest names as image tag. */
  etcdVersion?: string;
}

/** uid/gid of a local user, from /etc/passwd. */
export function userIds(user: string): { uid: number; gid: number } | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === user) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return undefined;
}

export const FS_DIRS = [
  'etc.upper', 'etc.work', 'var.upper', 'var.work', 'usrlocal.upper', 'usrlocal.work', 'usr.upper', 'usr.work',
  'opt.upper', 'opt.work', 'var-lib-etcd', 'etc-etcd', 'etc-kubernetes', 'var-log', 'run', 'root', 'tmp',
] as const;

export function initialCluster(all: HostSpec[]): string {
  return all
    .filter((h) => h.etcd)
    .map((h) => `${h.etcdName}=${h.peerUrl}`)
    .join(',');
}

function sshdConfig(h: HostSpec): string {
  return `# sshd of Lifeboat lab host ${h.name}: its own address, its own host key, root by key only.
ListenAddress ${h.address}:22
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 100:30:200
MaxSessions 10
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
`;
}

/** Write one host's tree. Returns the host's public host key line (`ssh-ed25519 AAAA…`). */
export async function writeHostFiles(inp: HostFilesInput): Promise<string> {
  const { host: h, hostDir, all } = inp;
  const fs = path.join(hostDir, 'fs');
  for (const d of FS_DIRS) await mkdir(path.join(fs, d), { recursive: true });
  const put = async (rel: string, text: string, mode = 0o644): Promise<string> => {
    const p = path.join(fs, rel);
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, text, { mode });
    await chmod(p, mode);
    return p;
  };
  const copy = async (src: string, rel: string, mode: number, owner?: { uid: number; gid: number }): Promise<void> => {
    const p = path.join(fs, rel);
    await mkdir(path.dirname(p), { recursive: true });
    await copyFile(src, p);
    await chmod(p, mode);
    if (owner) await chown(p, owner.uid, owner.gid);
  };

  if (inp.usrLower) await put('usr-lower', `${inp.usrLower}\n`);
  // lab-init, for Lab.sh() (the controller's /tmp, where it is built, is hidden on the host)
  await copy(inp.initBin, `usrlocal.upper/lib/lifeboat-lab/lab-init`, 0o755);

  // identity, names, ssh
  await put('etc.upper/hostname', `${h.hostname}\n`);
  const hosts = all.map((o) => `${o.address}\t${o.hostname}${o.hostname === o.name ? '' : ` ${o.name}`}`);
  await put('etc.upper/hosts', ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', ...hosts, ''].join('\n'));
  await put('etc.upper/ssh/sshd_config', sshdConfig(h));
  const hostKey = path.join(fs, 'etc.upper/ssh/ssh_host_ed25519_key');
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${h.hostname}`, '-f', hostKey]);
  await chmod(path.join(fs, 'root'), 0o700);
  await put('root/.ssh/authorized_keys', `${inp.clientPubKey.trim()}\n`, 0o600);
  await chmod(path.join(fs, 'root/.ssh'), 0o700);
  for (const f of ['.bashrc', '.profile']) {
    await put(`root/${f}`, await readFile(path.join('/etc/skel', f), 'utf8').catch(() => ''));
  }
  await chmod(path.join(fs, 'tmp'), 0o1777);

  // services
  const services: ServiceDef[] = [];
  const etcdHosts = all.filter((o) => o.etcd);
  const etcdOwner = userIds(inp.etcdUser) ?? { uid: 0, gid: 0 };
  await chown(path.join(fs, 'var-lib-etcd'), etcdOwner.uid, etcdOwner.gid);
  await chmod(path.join(fs, 'var-lib-etcd'), 0o700);
  const pki = inp.pki;
  if (pki) {
    // every host gets the CA and the healthcheck client cert, so etcdctl works from any lab host
    await copy(pki.ca.crt, 'etc-kubernetes/pki/etcd/ca.crt', 0o644);
    await copy(pki.healthcheck.crt, 'etc-kubernetes/pki/etcd/healthcheck-client.crt', 0o644);
    await copy(pki.healthcheck.key, 'etc-kubernetes/pki/etcd/healthcheck-client.key', 0o600);
  }
  const binary = inp.topology === 'binary';
  const kubeadm = inp.topology === 'kubeadm';
  if (h.etcd && h.etcdName && h.peerUrl && h.clientUrl && !binary) {
    if (!kubeadm) services.push(
      etcdService({
        etcdName: h.etcdName,
        address: h.address,
        peerUrl: h.peerUrl,
        clientUrl: h.clientUrl,
        initialCluster: initialCluster(all),
        token: `lifeboat-lab-${inp.labId}`,
        tls: inp.tls,
        user: inp.etcdUser,
      }),
    );
    if (pki) {
      const pair = async (p: CertPair | undefined, base: string, owner?: { uid: number; gid: number }) => {
        if (!p) throw new Error(`lab: no ${base} certificate for ${h.name}`);
        await copy(p.crt, `etc-kubernetes/pki/etcd/${base}.crt`, 0o644, owner);
        await copy(p.key, `etc-kubernetes/pki/etcd/${base}.key`, 0o600, owner);
      };
      await pair(pki.server.get(h.name), 'server', etcdOwner);
      await pair(pki.peer.get(h.name), 'peer', etcdOwner);
    }
  }
  if (h.etcd) {
    const scheme = inp.tls ? 'https' : 'http';
    const tlsEnv = inp.tls
      ? `ETCDCTL_CACERT=${HOST_PKI}/ca.crt\nETCDCTL_CERT=${HOST_PKI}/healthcheck-client.crt\nETCDCTL_KEY=${HOST_PKI}/healthcheck-client.key\n`
      : '';
    await put(
      'etc-etcd/etcdctl.env',
      `# For etcdctl by hand on this host: set -a; . /etc/etcd/etcdctl.env; set +a\nETCDCTL_API=3\nETCDCTL_ENDPOINTS=${scheme}://127.0.0.1:2379\n${tlsEnv}`,
    );
  }
  if (h.master && !binary) {
    if (pki) {
      await copy(pki.apiserverClient.crt, 'etc-kubernetes/pki/apiserver-etcd-client.crt', 0o644);
      await copy(pki.apiserverClient.key, 'etc-kubernetes/pki/apiserver-etcd-client.key', 0o600);
    }
    const urls = etcdHosts.map((o) => o.clientUrl ?? '');
    if (!kubeadm) services.push(apiserverService(h.address, urls, inp.tls), idleService('kube-controller-manager'), idleService('kube-scheduler'));
    if (!kubeadm) await put('usrlocal.upper/bin/kube-apiserver', APISERVER_SCRIPT, 0o755);
    await put('usrlocal.upper/bin/kube-controller-manager', IDLE_SCRIPT, 0o755);
    await put('usrlocal.upper/bin/kube-scheduler', IDLE_SCRIPT, 0o755);
  }
  for (const s of services) {
    if (inp.init !== 'systemd') await put(`etc.upper/init.d/${s.name}`, initScript(s), 0o755);
    await put(`etc.upper/default/${s.name}`, defaultsFile(s));
  }
  const extraUnits: string[] = [];
  if (inp.optLower) await put('opt-lower', `${inp.optLower}\n`);
  if (kubeadm) {
    await mkdir(path.join(fs, 'etc-kubernetes/manifests'), { recursive: true });
    if (h.etcd) await put('etc-kubernetes/manifests/etcd.yaml', etcdManifest(h, initialCluster(all), inp.etcdVersion ?? '3.4'), 0o600);
    if (h.master) await put('etc-kubernetes/manifests/kube-apiserver.yaml', apiserverManifest(h), 0o600);
    await put('etc.upper/systemd/system/kubelet.service', kubeletUnit());
    extraUnits.push('kubelet');
  }
  if (binary || kubeadm) {
    if (binary) {
      const b = binaryHostFiles(h, all, initialCluster(all), pki);
      for (const f of b.files) await put(f.rel, f.text, f.mode);
      for (const c of b.certs) await copy(c.src, c.rel, c.mode);
      extraUnits.push(...b.units);
    }
    // no etcd in /usr/bin on such a host: overlay whiteouts (0/0 character devices) hide the machine's
    await mkdir(path.join(fs, 'usr.upper/bin'), { recursive: true });
    for (const t of ['etcd', 'etcdctl', 'etcdutl']) await runOk('mknod', [path.join(fs, 'usr.upper/bin', t), 'c', '0', '0']);
  }
  if (inp.init === 'systemd') await writeSystemdFiles(fs, put, services, inp.etcdUser, extraUnits);
  await put('services', `${services.map((s) => s.name).join(' ')}\n`);
  return (await readFile(`${hostKey}.pub`, 'utf8')).trim();
}

/** A systemd host's units: its target, the masks, the services' units (Debian's own etcd.service + a drop-in). */
async function writeSystemdFiles(
  fs: string,
  put: (rel: string, text: string, mode?: number) => Promise<string>,
  services: ServiceDef[],
  etcdUser: string,
  extraUnits: string[],
): Promise<void> {
  await put('init', 'systemd\n');
  const unitDir = path.join(fs, 'etc.upper/systemd/system');
  await mkdir(unitDir, { recursive: true });
  for (const u of MASKED_UNITS) await symlink('/dev/null', path.join(unitDir, u));
  await put(`etc.upper/systemd/system/${LAB_TARGET}`, targetUnit([...services.map((s) => s.name), ...extraUnits]));
  await put('etc.upper/default/ssh', '# Lifeboat lab: read by ssh.service\nSSHD_OPTS="-E /var/log/sshd.log"\n');
  await put('etc.upper/machine-id', '');
  for (const s of services) {
    if (s.name === 'etcd') await put('etc.upper/systemd/system/etcd.service.d/lifeboat-lab.conf', etcdDropIn(etcdUser));
    else await put(`etc.upper/systemd/system/${s.name}.service`, serviceUnit(s));
  }
}
