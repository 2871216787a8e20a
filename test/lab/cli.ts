/**
 * npm run lab -- up 3 [--tls|--no-tls] [--etcd N|3.4|3.5] [--etcd-version 3.4|3.5] [--init sysv|systemd] [--topology debian|binary|kubeadm] [--masters N] [--seed N] [--prefix P]
 *                      [--etcd-user etcd|root]     (--etcd N: members; --etcd 3.5: the release, as --etcd-version)
 * npm run lab -- up 3 --init systemd   (systemd as each host's PID 1)
 * npm run lab -- up 3 --topology binary [--etcd 3.5]   (kubeasz's layout; systemd)
 * npm run lab -- fetch-etcd 3.5   (fetch Debian sid's etcd 3.5 into the cache now)
 * npm run lab -- down [ID|--all] [--force]   (--force: also labs of running test processes)
 * npm run lab -- status      npm run lab -- sh ID HOST 'command'
 */
import { LifeboatError } from '../../src/errors.js';
import { ensureEtcd, isEtcdLine } from './etcd-dist.js';
import { cleanupStaleLabs, type LabOptions, startLab, stopLabById } from './index.js';
import { HOST_PATH, hostDir } from './paths.js';
import { ownPidNs, procAliveIn, run, runInHost } from './proc.js';
import { labIds, readState } from './state.js';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined) throw new LifeboatError('E_USAGE', `${name} needs a value`);
  return v;
}

function int(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new LifeboatError('E_USAGE', `${what} must be a number, got "${v}"`);
  return Number(v);
}

async function up(args: string[]): Promise<void> {
  const hosts = int(args.find((a) => /^\d+$/.test(a)) ?? '3', 'hosts') ?? 3;
  const user = flag(args, '--etcd-user');
  const init = flag(args, '--init');
  if (init !== undefined && init !== 'sysv' && init !== 'systemd') throw new LifeboatError('E_USAGE', '--init is sysv or systemd');
  if (user !== undefined && user !== 'etcd' && user !== 'root') throw new LifeboatError('E_USAGE', '--etcd-user is etcd or root');
  const opts: LabOptions = { hosts, tls: !args.includes('--no-tls'), persistent: true };
  // --etcd N is the member count; --etcd 3.5 (a dotted value) names the release, as --etcd-version does
  const etcdFlag = flag(args, '--etcd');
  const release = flag(args, '--etcd-version') ?? (etcdFlag?.includes('.') ? etcdFlag : undefined);
  if (release !== undefined) {
    if (!isEtcdLine(release)) throw new LifeboatError('E_USAGE', `etcd release is 3.4 or 3.5, got "${release}"`);
    opts.etcdVersion = release;
  }
  const etcd = int(etcdFlag?.includes('.') ? undefined : etcdFlag, '--etcd');
  const masters = int(flag(args, '--masters'), '--masters');
  const seed = int(flag(args, '--seed'), '--seed');
  const prefix = flag(args, '--prefix');
  if (etcd !== undefined) opts.etcd = etcd;
  if (masters !== undefined) opts.masters = masters;
  if (seed !== undefined) opts.seedKeys = seed;
  if (prefix !== undefined) opts.prefix = prefix;
  if (user) opts.etcdUser = user;
  if (init) opts.init = init;
  const topology = flag(args, '--topology');
  if (topology !== undefined && topology !== 'debian' && topology !== 'binary' && topology !== 'kubeadm') {
    throw new LifeboatError('E_USAGE', '--topology is debian, binary or kubeadm');
  }
  if (topology) opts.topology = topology;
  const t0 = performance.now();
  const lab = await startLab(opts);
  const ms = Math.round(performance.now() - t0);
  console.log(`lab ${lab.id} up in ${ms} ms: ${lab.hosts.length} hosts, TLS ${opts.tls ? 'on' : 'off'}, etcd ${opts.etcdVersion ?? '3.4'}`);
  for (const h of lab.hosts) {
    const roles = [h.etcd ? `etcd ${h.etcdName}` : '', h.master ? 'kube_master' : 'kube_node'].filter(Boolean).join(', ');
    console.log(`  ${h.name.padEnd(10)} ${h.address.padEnd(14)} ${roles}`);
  }
  console.log(`inventory:  ${lab.inventoryYaml}  (INI: ${lab.inventoryIni})`);
  console.log(`ssh:        ssh -F ${lab.sshConfig} ${lab.hosts[0]?.name ?? 'node1'}`);
  const member = lab.hosts.find((h) => h.etcd);
  if (lab.pki && member) console.log(`etcdctl:    etcdctl --endpoints=${member.clientUrl} --cacert=${lab.pki.ca} --cert=${lab.pki.cert} --key=${lab.pki.key} member list`);
  console.log(`down:       npm run lab -- down ${lab.id}`);
}

async function down(args: string[]): Promise<void> {
  const ids = args.includes('--all') ? labIds() : args.filter((a) => /^\d+$/.test(a)).map(Number);
  if (ids.length === 0) {
    const all = labIds();
    if (all.length !== 1) throw new LifeboatError('E_USAGE', `which lab? running: ${all.join(', ') || 'none'}`, { hint: 'npm run lab -- down ID|--all' });
    ids.push(...all);
  }
  const force = args.includes('--force');
  for (const id of ids) {
    const s = readState(id);
    if (s && !s.persistent && procAliveIn(s.owner.pid, s.owner.start, s.owner.pidns) !== false && !force) {
      console.log(`lab ${id}: left alone, it belongs to running process ${s.owner.pid} (a test run?); --force to stop it anyway`);
      continue;
    }
    console.log((await stopLabById(id)) ? `lab ${id} down` : `lab ${id}: not found (or being stopped)`);
  }
}

async function status(): Promise<void> {
  await cleanupStaleLabs();
  const ids = labIds();
  if (ids.length === 0) console.log('no labs');
  for (const id of ids) {
    const s = readState(id);
    if (!s) {
      console.log(`lab ${id}: starting (no state yet)`);
      continue;
    }
    const owner = procAliveIn(s.owner.pid, s.owner.start, s.owner.pidns) !== false ? `owner pid ${s.owner.pid}` : 'owner gone';
    console.log(`lab ${id}: ${s.persistent ? 'persistent (lab up)' : owner}, since ${s.created}`);
    for (const h of s.hosts) {
      const alive = procAliveIn(h.initPid, h.initStart, s.owner.pidns) === true;
      let svc = '';
      if (alive && s.owner.pidns !== undefined && s.owner.pidns !== ownPidNs()) svc = 'in another pid namespace';
      else if (alive) {
        const r = h.systemdPid
          ? await runInHost(h.systemdPid, ['/bin/sh', '-c',
            'echo "systemd $(systemctl is-system-running)"; for u in etcd kube-apiserver kubelet; do { [ -e /etc/systemd/system/$u.service ] || [ -e /etc/systemd/system/$u.service.d ]; } && echo "$u $(systemctl is-active $u)"; done; for p in etcd kube-apiserver; do pgrep -x $p >/dev/null && echo "$p process up"; done; true'],
            { PATH: HOST_PATH })
          : await run('nsenter', ['-t', String(h.initPid), '-m', '-u', '-n', '--', '/bin/sh', '-c',
            'for s in etcd kube-apiserver kube-controller-manager kube-scheduler; do [ -x /etc/init.d/$s ] && service $s status; done; true'], { env: { PATH: HOST_PATH } });
        svc = r.stdout.trim().split('\n').filter(Boolean).join('; ');
      }
      console.log(`  ${h.name.padEnd(10)} init ${h.initPid} ${alive ? 'up' : 'DOWN'}  ${svc}  (${hostDir(id, h.name)})`);
    }
  }
}

async function sh(args: string[]): Promise<number> {
  const [idS, host, ...cmd] = args;
  const s = readState(int(idS, 'lab id') ?? 0);
  const h = s?.hosts.find((x) => x.name === host);
  if (!h) throw new LifeboatError('E_USAGE', `no host "${host}" in lab ${idS}`, { hint: 'npm run lab -- status' });
  const r = await runInHost(h.systemdPid ?? h.initPid, ['/bin/sh', '-c', cmd.join(' ')], { PATH: HOST_PATH, HOME: '/root', LANG: 'C.UTF-8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.rc;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'up') await up(rest);
  else if (cmd === 'down') await down(rest);
  else if (cmd === 'status') await status();
  else if (cmd === 'sh') return sh(rest);
  else if (cmd === 'fetch-etcd') {
    const line = rest[0] ?? '3.5';
    if (!isEtcdLine(line)) throw new LifeboatError('E_USAGE', `fetch-etcd 3.4|3.5, got "${line}"`);
    const d = await ensureEtcd(line, (m) => console.log(m));
    console.log(`etcd ${d.version}: ${d.binDir}`);
  }
  else {
    console.error('usage: npm run lab -- up N [--no-tls] [--etcd N|3.4|3.5] [--etcd-version 3.4|3.5] [--init sysv|systemd] [--topology debian|binary|kubeadm] [--masters N] [--seed N] [--prefix P] [--etcd-user etcd|root]\n' +
      '       npm run lab -- down [ID|--all] [--force] | status | sh ID HOST CMD | fetch-etcd 3.5');
    return 2;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (rc) => process.exit(rc),
  (e: unknown) => {
    console.error(e instanceof LifeboatError ? `error: ${e.format()}` : e);
    process.exit(1);
  },
);
