/** The Lab object handed to tests: host access without SSH (nsenter), etcdctl, seed/disaster/read-back, stop. */
import type { HostSpec } from './hostfiles.js';
import type { EtcdCheckTarget } from './boot.js';
import { LifeboatError, nearest } from '../../src/errors.js';
import { HOST_PATH } from './paths.js';
import { type RunResult, runInHost } from './proc.js';
import { DEFAULT_SEED_KEYS, deleteSome, type EtcdTarget, readAll, seedEntries, writeSeed } from './seed.js';
import { HOST_PKI } from './services.js';
import type { HostState, LabState } from './state.js';
import { destroyLab } from './teardown.js';

export interface LabHost {
  name: string;
  address: string;
  hostname: string;
  etcd: boolean;
  master: boolean;
  etcdName?: string;
  peerUrl?: string;
  clientUrl?: string;
}

export interface Lab {
  id: number;
  /** Controller-side dir: keys, known_hosts, ssh_config, inventories, pki, hosts/<name>/ (each host's files). */
  dir: string;
  hosts: LabHost[];
  clientKey: string;
  knownHosts: string;
  sshConfig: string;
  inventoryYaml: string;
  inventoryIni: string;
  /** Controller-side client certificate for etcd (absent without TLS). */
  pki?: { ca: string; cert: string; key: string };
  /**
   * Run a shell command inside the host's namespaces (NOT over ssh) — for test setup and assertions. It runs
   * under a subreaper (lab-init --wrap), so a daemon it starts is reaped at once when it ends.
   */
  sh(host: string, cmd: string): Promise<RunResult>;
  /** etcdctl on the host, against its own member (or every member from a host without etcd), with TLS flags. */
  etcdctl(host: string, args: string[]): Promise<RunResult>;
  /** Seed `count` deterministic keys (default: seedKeys of the options, else 2,000). */
  seed(count?: number): Promise<void>;
  /** Delete a deterministic fraction (default 0.5) of the seed, or everything under `prefix`; returns keys deleted. */
  disaster(opts?: { fraction?: number; prefix?: string }): Promise<number>;
  /** Every key under `prefix` (default '/registry/') with its value, from the first healthy member. */
  readKeys(prefix?: string): Promise<Map<string, string>>;
  /** What the seed wrote: compare with readKeys() to prove a restore brought every key back. */
  expectedSeed(): Map<string, string>;
  /** Number of keys the last seed() wrote. */
  readonly seeded: number;
  /** Endpoints and controller TLS flags for running etcdctl from the controller. */
  etcdTarget(): EtcdCheckTarget;
  /** The pid of the host's init (lab-init): `nsenter -t <pid> -m -u -n` enters the host. */
  initPid(host: string): number;
  stop(): Promise<void>;
}

export interface MakeLabInput {
  id: number;
  dir: string;
  hosts: HostSpec[];
  started: { spec: HostSpec; state: HostState }[];
  files: { clientKey: string; knownHosts: string; sshConfig: string; inventoryYaml: string; inventoryIni: string };
  pki?: { ca: string; cert: string; key: string };
  state: LabState;
}

// /opt/kube/bin: where binary-topology hosts keep etcdctl (as their root's profile has it)
const HOST_ENV = { PATH: `${HOST_PATH}:/opt/kube/bin`, HOME: '/root', LANG: 'C.UTF-8', USER: 'root', LOGNAME: 'root' };

export function makeLab(inp: MakeLabInput): Lab {
  const { id, hosts, pki } = inp;
  const tls = pki !== undefined;
  let seeded = 0;
  let stopped: Promise<void> | undefined;
  const initOf = (name: string): number => {
    if (stopped) throw new LifeboatError('E_USAGE', `lab ${id} is stopped: no host "${name}" to run on`);
    const s = inp.started.find((h) => h.spec.name === name);
    if (!s) {
      const dym = nearest(name, hosts.map((h) => h.name));
      throw new LifeboatError('E_USAGE', `lab ${id}: no host "${name}"${dym ? ` (did you mean "${dym}"?)` : ''}`, {
        hint: `hosts: ${hosts.map((h) => h.name).join(', ')}`,
      });
    }
    return s.state.initPid;
  };
  /** The process whose namespaces a command enters: systemd on systemd hosts, else lab-init. */
  const enterOf = (name: string): number => {
    const pid = initOf(name);
    return inp.started.find((h) => h.spec.name === name)?.state.systemdPid ?? pid;
  };
  const etcdHosts = hosts.filter((h) => h.etcd);
  const clientUrls = etcdHosts.map((h) => h.clientUrl ?? '');
  const targets = (): EtcdTarget[] => etcdHosts.map((h) => ({ endpoints: [h.clientUrl ?? ''], ...(pki ? { pki } : {}) }));
  const all = (): EtcdTarget => ({ endpoints: clientUrls, ...(pki ? { pki } : {}) });
  const needEtcd = (what: string): void => {
    if (etcdHosts.length === 0) throw new LifeboatError('E_USAGE', `lab ${id}: ${what} needs etcd hosts (etcd: 0)`);
  };

  const lab: Lab = {
    id,
    dir: inp.dir,
    hosts: hosts.map(({ index: _i, ...h }) => h),
    ...inp.files,
    ...(pki ? { pki } : {}),
    get seeded() {
      return seeded;
    },
    sh(host, cmd) {
      const pid = enterOf(host);
      return runInHost(pid, ['/bin/sh', '-c', cmd], HOST_ENV);
    },
    etcdctl(host, args) {
      const pid = enterOf(host);
      const h = hosts.find((x) => x.name === host);
      const has = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
      const flags: string[] = [];
      const local = h?.etcd ? [`${tls ? 'https' : 'http'}://127.0.0.1:2379`] : clientUrls;
      if (!has('--endpoints')) flags.push(`--endpoints=${local.join(',')}`);
      if (tls) {
        if (!has('--cacert')) flags.push(`--cacert=${HOST_PKI}/ca.crt`);
        if (!has('--cert')) flags.push(`--cert=${HOST_PKI}/healthcheck-client.crt`);
        if (!has('--key')) flags.push(`--key=${HOST_PKI}/healthcheck-client.key`);
      }
      return runInHost(pid, ['etcdctl', ...flags, ...args], { ...HOST_ENV, ETCDCTL_API: '3' });
    },
    async seed(count) {
      needEtcd('seed()');
      const n = count ?? (inp.state.summary?.seedKeys as number | undefined) ?? DEFAULT_SEED_KEYS;
      await writeSeed(all(), n);
      seeded = Math.max(seeded, n);
    },
    async disaster(opts = {}) {
      needEtcd('disaster()');
      return deleteSome(all(), seeded, opts);
    },
    async readKeys(prefix = '/registry/') {
      needEtcd('readKeys()');
      return readAll(targets(), prefix);
    },
    expectedSeed: () => seedEntries(seeded),
    etcdTarget: () => ({
      endpoints: clientUrls,
      tlsArgs: pki ? [`--cacert=${pki.ca}`, `--cert=${pki.cert}`, `--key=${pki.key}`] : [],
    }),
    initPid: initOf,
    stop() {
      stopped ??= destroyLab(id, inp.state);
      return stopped;
    },
  };
  return lab;
}
