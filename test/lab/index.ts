/**
 * The Lifeboat lab: N Linux "hosts" on this machine, each with its own network, UTS and mount namespaces,
 * sshd, and optionally an etcd member (TLS like kubeadm) and control-plane stand-ins. See README.md.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LifeboatError } from '../../src/errors.js';
import { spawnHost, waitBooted, waitEtcdCluster, wireHosts } from './boot.js';
import { EMPTY_LAYER, makeOptLayer } from './binary.js';
import { makeImagesLayer } from './kubeadm.js';
import { cleanupStaleLabs } from './cleanup.js';
import { destroyLab } from './teardown.js';
import { cachedEtcd, type EtcdLine, ensureEtcd, isEtcdLine } from './etcd-dist.js';
import { type HostSpec, userIds, writeHostFiles } from './hostfiles.js';
import { buildInit } from './init-bin.js';
import { writeClientFiles } from './inventory.js';
import { type Lab, makeLab } from './lab.js';
import { createBridge } from './net.js';
import { hostAddress, hostDir, labDir, MAX_HOSTS } from './paths.js';
import { makePki } from './pki.js';
import { nsOf, runOk } from './proc.js';
import { claimLabId, writeState } from './state.js';
import { labSupport } from './support.js';

export { cleanupStaleLabs, stopLabById } from './cleanup.js';
export { seedEntries, seedEntry } from './seed.js';
export { labSupport } from './support.js';
export type { Lab, LabHost } from './lab.js';

export interface LabOptions {
  hosts: number;
  /** The first N hosts run etcd; default all. */
  etcd?: number;
  /** The first N hosts are kube_master (apiserver, controller-manager, scheduler stand-ins); default min(hosts,3). */
  masters?: number;
  /** etcd over TLS with client and peer cert auth; default true. */
  tls?: boolean;
  /** Seed this many keys at start; default 0 (no seed). */
  seedKeys?: number;
  /** Host names `${prefix}${i}`; default 'node'. */
  prefix?: string;
  /** User etcd runs as: Debian's `etcd` (default) or `root` (as kubeadm's static pod). */
  etcdUser?: 'etcd' | 'root';
  /** etcd release line: '3.4' (the machine's Debian bookworm etcd, default) or '3.5' (Debian sid's, fetched
   * once into the cache, test/lab/etcd-dist.ts) — laid over each host's /usr, so `/usr/bin/etcd` is that release. */
  etcdVersion?: EtcdLine;
  /** PID 1 of each host: 'sysv' (Debian's `service` over init scripts, default) or 'systemd' (its own PID
   * namespace; sshd and the services are units). */
  init?: 'sysv' | 'systemd';
  /** Host layout: 'debian' (Debian's packages, /etc/default files; default) or 'binary' (kubeasz's: /opt/kube/bin,
   * /etc/kubernetes/ssl, every flag in /etc/systemd/system/etcd.service, etcd as root) or 'kubeadm' (etcd and
   * kube-apiserver as static pods run by a kubelet stand-in; no etcd tools on the host). Both imply init 'systemd'. */
  topology?: 'debian' | 'binary' | 'kubeadm';
  /** Survive the process that started it (the CLI's `up`); default false. */
  persistent?: boolean;
}

function usage(msg: string): LifeboatError {
  return new LifeboatError('E_USAGE', `startLab: ${msg}`, { hint: `hosts 1..${MAX_HOSTS}; 0 <= etcd, masters <= hosts` });
}

function specs(id: number, o: Required<Pick<LabOptions, 'hosts' | 'etcd' | 'masters' | 'prefix' | 'tls'>>, kubeadm: boolean): HostSpec[] {
  const scheme = o.tls ? 'https' : 'http';
  return Array.from({ length: o.hosts }, (_, k) => {
    const index = k + 1;
    const name = `${o.prefix}${index}`;
    const address = hostAddress(id, index);
    const etcd = index <= o.etcd;
    return {
      index,
      name,
      hostname: name,
      address,
      etcd,
      master: index <= o.masters,
      ...(etcd ? { etcdName: kubeadm ? name : `etcd-${name}`, peerUrl: `${scheme}://${address}:2380`, clientUrl: `${scheme}://${address}:2379` } : {}),
    };
  });
}

export async function startLab(opts: LabOptions): Promise<Lab> {
  const n = opts.hosts;
  const o = {
    hosts: n,
    etcd: opts.etcd ?? n,
    masters: opts.masters ?? Math.min(n, 3),
    prefix: opts.prefix ?? 'node',
    tls: opts.tls ?? true,
  };
  if (!Number.isInteger(n) || n < 1 || n > MAX_HOSTS) throw usage(`hosts must be 1..${MAX_HOSTS}, got ${n}`);
  if (!Number.isInteger(o.etcd) || o.etcd < 0 || o.etcd > n) throw usage(`etcd must be 0..${n}, got ${o.etcd}`);
  if (!Number.isInteger(o.masters) || o.masters < 0 || o.masters > n) throw usage(`masters must be 0..${n}, got ${o.masters}`);
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(o.prefix)) throw usage(`prefix must match [a-z][a-z0-9-]*, got "${o.prefix}"`);
  const support = labSupport();
  if (!support.ok) throw new LifeboatError('E_PREFLIGHT', `the lab cannot run here: ${support.why}`);

  const etcdUser = opts.etcdUser ?? (opts.topology === 'binary' || opts.topology === 'kubeadm' ? 'root' : 'etcd');
  if (etcdUser !== 'etcd' && etcdUser !== 'root') throw usage(`etcdUser must be "etcd" or "root", got "${etcdUser}"`);
  if (o.etcd > 0 && !userIds(etcdUser)) {
    throw new LifeboatError('E_PREFLIGHT', `the lab cannot run etcd as "${etcdUser}": no such user`, {
      hint: "Debian's etcd-server package creates it (bash scripts/setup.sh), or start the lab with etcdUser: 'root'",
    });
  }
  const topology = opts.topology ?? 'debian';
  if (topology !== 'debian' && topology !== 'binary' && topology !== 'kubeadm') throw usage(`topology must be debian, binary or kubeadm, got "${String(topology)}"`);
  if (topology !== 'debian' && opts.init === 'sysv') throw usage(`the ${topology} topology runs systemd: leave init unset or "systemd"`);
  if (topology !== 'debian') await mkdir(EMPTY_LAYER, { recursive: true });
  const line = opts.etcdVersion ?? '3.4';
  if (!isEtcdLine(line)) throw usage(`etcdVersion must be 3.4 or 3.5, got "${String(line)}"`);
  const dist = line === '3.4' ? cachedEtcd('3.4') : await ensureEtcd(line, (m) => console.error(m));
  // /usr gets an overlay when the release is not the machine's, or when the machine's etcd must be hidden
  // (binary topology: etcd lives in /opt/kube/bin only; an empty lower layer, whiteouts in the host's upper)
  const usrLower = topology !== 'debian' ? EMPTY_LAYER : dist && !dist.system ? path.dirname(dist.binDir) : undefined;
  const init = opts.init ?? (topology === 'debian' ? 'sysv' : 'systemd');
  if (init !== 'sysv' && init !== 'systemd') throw usage(`init must be sysv or systemd, got "${String(init)}"`);
  await cleanupStaleLabs();
  const t0 = performance.now();
  const trace = (what: string): void => {
    if (process.env.LIFEBOAT_LAB_TRACE) console.error(`[lab] ${Math.round(performance.now() - t0)} ms ${what}`);
  };
  const initBin = await buildInit();
  const state = claimLabId(false); // persistent only once up: a crashed `lab up` is stale like any other
  const id = state.id;
  const dir = labDir(id);
  try {
    const hosts = specs(id, o, topology === 'kubeadm');
    state.summary = { ...o, etcdVersion: dist?.version ?? line, init, topology, seedKeys: opts.seedKeys ?? 0, hosts: hosts.map(({ name, address, etcd, master }) => ({ name, address, etcd, master })) };
    const optLower =
      topology === 'binary' ? await makeOptLayer(dir, dist?.binDir ?? '/usr/bin')
      : topology === 'kubeadm' ? await makeImagesLayer(dir, dist?.binDir ?? '/usr/bin')
      : undefined;
    const clientKey = path.join(dir, 'id_ed25519');
    const files = {
      clientKey,
      knownHosts: path.join(dir, 'known_hosts'),
      sshConfig: path.join(dir, 'ssh_config'),
      inventoryYaml: path.join(dir, 'inventory.yml'),
      inventoryIni: path.join(dir, 'inventory.ini'),
    };
    await mkdir(path.join(dir, 'hosts'), { recursive: true });
    const etcdHosts = hosts.filter((h) => h.etcd);
    const [, , pki] = await Promise.all([
      createBridge(id),
      runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `lifeboat-lab-${id}`, '-f', clientKey]),
      o.tls ? makePki(path.join(dir, 'pki'), id, etcdHosts) : Promise.resolve(undefined),
    ]);
    trace('bridge, keys, pki');
    const clientPubKey = await readFile(`${clientKey}.pub`, 'utf8');
    const hostKeys = new Map<string, string>();
    await Promise.all(
      hosts.map(async (h) => {
        const key = await writeHostFiles({
          labId: id, hostDir: hostDir(id, h.name), host: h, all: hosts, tls: o.tls, etcdUser, clientPubKey, initBin, ...(pki ? { pki } : {}), ...(usrLower ? { usrLower } : {}), init, topology, ...(optLower ? { optLower } : {}), etcdVersion: (dist?.version ?? line).replace(/-.*$/, ''),
        });
        hostKeys.set(h.name, key);
      }),
    );
    trace('host files');
    await writeClientFiles({ dir, hosts, hostKeys, ...files, tls: o.tls, etcdUser, labId: id, topology });

    const started = hosts.map((spec) => ({ spec, dir: hostDir(id, spec.name), state: spawnHost(initBin, spec, hostDir(id, spec.name), id) }));
    state.hosts = started.map((s) => s.state);
    writeState(state);
    await wireHosts(id, started);
    for (const s of started) {
      s.state.mnt = nsOf(s.state.initPid, 'mnt');
      s.state.net = nsOf(s.state.initPid, 'net');
    }
    writeState(state);
    trace('hosts spawned and wired');
    await waitBooted(started);
    writeState(state); // systemd hosts: systemd's pid
    trace('hosts booted (sshd, services started)');

    const controllerPki = pki ? { ca: pki.ca.crt, cert: pki.client.crt, key: pki.client.key } : undefined;
    const lab = makeLab({ id, dir, hosts, started, files, ...(controllerPki ? { pki: controllerPki } : {}), state });
    if (etcdHosts.length > 0) await waitEtcdCluster(lab.etcdTarget());
    trace('etcd cluster has a leader');
    if (opts.seedKeys) await lab.seed(opts.seedKeys);
    if (opts.persistent) {
      state.persistent = true;
      writeState(state);
    }
    return lab;
  } catch (e) {
    await destroyLab(id, state).catch(() => {});
    throw e;
  }
}
