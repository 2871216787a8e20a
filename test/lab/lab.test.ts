import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { hostInventoryVars, loadInventory, resolvePattern } from '../../src/inventory/index.js';
import { describeLab } from './fixture.js';
import type { Lab } from './index.js';
import { run, sleep } from './proc.js';

const ssh = (lab: Lab, host: string, cmd: string, extra: string[] = []) =>
  run('ssh', ['-F', lab.sshConfig, ...extra, host, cmd], { timeoutMs: 30_000 });

interface EpStatus {
  Endpoint: string;
  Status: { header: { cluster_id: number; member_id: number }; leader: number };
}

async function clusterView(lab: Lab, host: string): Promise<EpStatus[]> {
  const r = await lab.etcdctl(host, ['endpoint', 'status', '--cluster', '-w', 'json']);
  expect(r.stderr).toBe('');
  expect(r.rc).toBe(0);
  return JSON.parse(r.stdout) as EpStatus[];
}

/** Poll `check` until it returns true or `ms` pass; returns its last answer (asserted by the caller). */
async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

async function modRevision(lab: Lab, host: string, key: string): Promise<number> {
  const r = await lab.etcdctl(host, ['get', key, '-w', 'json']);
  const kvs = (JSON.parse(r.stdout) as { kvs?: { mod_revision: number }[] }).kvs ?? [];
  return kvs[0]?.mod_revision ?? 0;
}

describeLab('lab: 3 hosts with etcd over TLS', { hosts: 3 }, (lab) => {
  it('reaches every host with the real ssh client and strict host-key checking', async () => {
    for (const h of lab().hosts) {
      const byName = await ssh(lab(), h.name, 'hostname');
      expect(byName).toMatchObject({ rc: 0, stdout: `${h.hostname}\n` });
      const byAddress = await ssh(lab(), h.address, 'hostname');
      expect(byAddress).toMatchObject({ rc: 0, stdout: `${h.hostname}\n` });
    }
    // the host-key check is real: with no known key the connection is refused
    const unknown = await ssh(lab(), 'node1', 'true', ['-o', 'UserKnownHostsFile=/dev/null']);
    expect(unknown.rc).not.toBe(0);
    expect(unknown.stderr).toMatch(/Host key verification failed/);
  });

  it('gives each host its own hostname, /var/lib/etcd mount point and per-host directories', async () => {
    const names = lab().hosts.map((h) => h.name);
    const paths = ['/etc/etcd', '/etc/kubernetes', '/var/lib/etcd', '/var/log', '/run', '/root', '/tmp', '/etc', '/usr/local'];
    for (const n of names) {
      const w = await ssh(lab(), n, paths.map((p) => `echo "$(hostname)" > ${p}/lab-marker`).join(' && '));
      expect(w.rc).toBe(0);
    }
    for (const n of names) {
      const r = await ssh(lab(), n, `cat ${paths.map((p) => `${p}/lab-marker`).join(' ')}; mountpoint /var/lib/etcd`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`${paths.map(() => n).join('\n')}\n/var/lib/etcd is a mountpoint\n`);
    }
    const bashrc = await ssh(lab(), 'node1', 'grep -c pyenv /root/.bashrc; test ! -e /run/systemd/system && echo no-systemd');
    expect(bashrc.stdout).toBe('0\nno-systemd\n');
    const controller = await run('sh', ['-c', 'ls /etc/lab-marker /var/log/lab-marker /root/lab-marker 2>/dev/null | wc -l']);
    expect(controller.stdout.trim()).toBe('0');
  });

  it('runs one etcd cluster over TLS: every member sees the same cluster and the same leader', async () => {
    const clusters = new Set<number>();
    const leaders = new Set<number>();
    const members = new Set<number>();
    for (const h of lab().hosts) {
      const view = await clusterView(lab(), h.name);
      expect(view).toHaveLength(3);
      for (const ep of view) {
        expect(ep.Endpoint).toMatch(/^https:\/\/10\.251\.\d+\.\d+:2379$/);
        clusters.add(ep.Status.header.cluster_id);
        leaders.add(ep.Status.leader);
        members.add(ep.Status.header.member_id);
      }
    }
    expect(clusters.size).toBe(1);
    expect(members.size).toBe(3);
    expect(leaders.size).toBe(1);
    expect(members.has([...leaders][0] as number)).toBe(true);
    // client certificates are required: the CA alone is not enough
    const h = lab().hosts[0];
    const noCert = await run('etcdctl', [`--endpoints=${h?.clientUrl}`, `--cacert=${lab().pki?.ca}`, '--command-timeout=2s', 'get', 'x']);
    expect(noCert.rc).not.toBe(0);
    const ps = await ssh(lab(), 'node2', 'ps -o user= -p "$(cat /run/etcd.pid)"; stat -c %U /var/lib/etcd/member');
    expect(ps.stdout).toBe('etcd\netcd\n');
  });

  it('has kube-apiserver stand-ins that keep writing to etcd until they are stopped', async () => {
    const key = `/registry/masterleases/${lab().hosts[0]?.address}`;
    const first = await modRevision(lab(), 'node1', key);
    expect(first).toBeGreaterThan(0);
    expect(await eventually(async () => (await modRevision(lab(), 'node2', key)) > first)).toBe(true);
    const stop = await ssh(lab(), 'node1', 'service kube-apiserver stop');
    expect(stop).toMatchObject({ rc: 0, stdout: 'Stopped kube-apiserver\n' });
    const afterStop = await modRevision(lab(), 'node1', key);
    await sleep(1500); // three write periods of the stand-in
    expect(await modRevision(lab(), 'node1', key)).toBe(afterStop);
    expect((await ssh(lab(), 'node1', 'service kube-apiserver start')).rc).toBe(0);
    expect(await eventually(async () => (await modRevision(lab(), 'node3', key)) > afterStop)).toBe(true);
  });

  it('stops only that host\'s etcd with `service etcd stop` over ssh', async () => {
    const pid = (await ssh(lab(), 'node3', 'cat /run/etcd.pid')).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    expect(await ssh(lab(), 'node3', 'service etcd stop')).toMatchObject({ rc: 0, stdout: 'Stopped etcd\n' });
    expect((await ssh(lab(), 'node3', 'service etcd status')).rc).toBe(3);
    expect((await run('sh', ['-c', `test -e /proc/${pid}`])).rc).not.toBe(0);
    for (const n of ['node1', 'node2']) expect((await ssh(lab(), n, 'service etcd status')).rc).toBe(0);
    const health = await lab().etcdctl('node1', ['endpoint', 'health', `--endpoints=${lab().hosts[0]?.clientUrl},${lab().hosts[1]?.clientUrl}`]);
    expect(health.rc).toBe(0);
    expect((await ssh(lab(), 'node3', 'service etcd start')).rc).toBe(0);
    expect(await eventually(async () => (await lab().etcdctl('node3', ['endpoint', 'health', '--cluster'])).rc === 0)).toBe(true);
  });

  it('never takes another host\'s process for its own (one PID namespace, pid files per host)', async () => {
    const node1Pid = (await lab().sh('node1', 'cat /run/etcd.pid')).stdout.trim();
    expect(node1Pid).toMatch(/^\d+$/);
    // node3's pid file names node1's etcd: node3 must call its etcd stopped, and `stop` must not touch node1's
    const r = await lab().sh('node3', `service etcd stop >/dev/null; echo ${node1Pid} > /run/etcd.pid; service etcd status; echo "rc=$?"; service etcd stop`);
    expect(r.stdout).toBe('etcd is not running\nrc=3\netcd is not running\n');
    expect(await lab().sh('node1', 'service etcd status')).toMatchObject({ rc: 0, stdout: `etcd is running (pid ${node1Pid})\n` });
    expect((await ssh(lab(), 'node3', 'service etcd start')).rc).toBe(0);
    expect(await eventually(async () => (await lab().etcdctl('node3', ['endpoint', 'health', '--cluster'])).rc === 0)).toBe(true);
  });

  it('fails `service etcd start` when etcd cannot use its data dir (owned by root instead of etcd)', async () => {
    const bad = await ssh(lab(), 'node3', 'service etcd stop >/dev/null && chown -R root: /var/lib/etcd/member && service etcd start');
    expect(bad.rc).toBe(1);
    expect(bad.stderr).toContain('etcd failed to start');
    expect(bad.stderr).toContain('permission denied');
    expect((await ssh(lab(), 'node3', 'service etcd status')).rc).toBe(3);
    const good = await ssh(lab(), 'node3', 'chown -R etcd:etcd /var/lib/etcd/member && service etcd start');
    expect(good.rc).toBe(0);
    expect(await eventually(async () => (await lab().etcdctl('node3', ['endpoint', 'health', '--cluster'])).rc === 0)).toBe(true);
  });

  it('reaps at once a daemon started through lab.sh() (it runs under a subreaper, as over ssh)', async () => {
    expect((await lab().sh('node2', 'service kube-scheduler restart')).rc).toBe(0);
    const pid = (await lab().sh('node2', 'cat /run/kube-scheduler.pid')).stdout.trim();
    // `ps -o ppid=` pads the number to its column width (" 1641" on a fresh machine): ps rejects that as a list
    const parent = await lab().sh('node2', `ps -o args= -p "$(ps -o ppid= -p ${pid} | tr -d ' ')"`);
    expect(parent.stdout).toMatch(/^\/usr\/local\/lib\/lifeboat-lab\/lab-init --wrap /);
    const stop = await lab().sh('node2', `service kube-scheduler stop >/dev/null; test -e /proc/${pid} && echo zombie-or-alive || echo gone`);
    expect(stop.stdout).toBe('gone\n');
    expect((await ssh(lab(), 'node2', 'service kube-scheduler start')).rc).toBe(0);
  });

  it('seeds keys, deletes some in a "disaster", and reads every key back', async () => {
    await lab().seed(2000);
    const expected = lab().expectedSeed();
    expect(expected.size).toBe(2000);
    const got = await lab().readKeys();
    const missing = [...expected].filter(([k, v]) => got.get(k) !== v);
    expect(missing).toHaveLength(0);
    const deleted = await lab().disaster({ fraction: 0.25 });
    expect(deleted).toBeGreaterThan(300);
    expect(deleted).toBeLessThan(700);
    const after = await lab().readKeys();
    expect([...expected.keys()].filter((k) => !after.has(k))).toHaveLength(deleted);
  });

  it('writes an inventory (YAML and INI), ssh_config and known_hosts for the lab', async () => {
    const inv = parse(await readFile(lab().inventoryYaml, 'utf8'));
    const all = inv.all;
    expect(Object.keys(all.hosts)).toEqual(['node1', 'node2', 'node3']);
    expect(all.hosts.node2).toMatchObject({
      ansible_host: lab().hosts[1]?.address,
      ansible_user: 'root',
      ansible_ssh_private_key_file: lab().clientKey,
      ansible_ssh_common_args: `-o UserKnownHostsFile=${lab().knownHosts} -o StrictHostKeyChecking=yes`,
      etcd_name: 'etcd-node2',
      etcd_peer_url: lab().hosts[1]?.peerUrl,
      etcd_client_url: lab().hosts[1]?.clientUrl,
    });
    expect(Object.keys(all.children.etcd.hosts)).toEqual(['node1', 'node2', 'node3']);
    expect(all.children.etcd.vars.etcd_ca_file).toBe('/etc/kubernetes/pki/etcd/ca.crt');
    expect(Object.keys(all.children.kube_master.hosts)).toEqual(['node1', 'node2', 'node3']);
    expect(all.children.kube_node.hosts).toEqual({});
    const ini = await readFile(lab().inventoryIni, 'utf8');
    expect(ini).toMatch(/^node1 ansible_host=10\.251\.\d+\.11 /m);
    expect(ini).toContain('[etcd:vars]');
    const kh = await readFile(lab().knownHosts, 'utf8');
    expect(kh.trim().split('\n')).toHaveLength(3);
  });

  it('gives every host the same variables from the YAML and the INI inventory (read by Lifeboat\'s loader)', async () => {
    const [yml, ini] = await Promise.all([loadInventory([lab().inventoryYaml]), loadInventory([lab().inventoryIni])]);
    expect(ini.order).toEqual(yml.order);
    for (const h of yml.order) expect(hostInventoryVars(ini, h)).toEqual(hostInventoryVars(yml, h));
    expect(hostInventoryVars(yml, 'node3')).toMatchObject({ etcd_tls: true, etcd_name: 'etcd-node3', ansible_user: 'root' });
    expect(resolvePattern(yml, 'etcd:&kube_master')).toEqual(['node1', 'node2', 'node3']);
  });
});
