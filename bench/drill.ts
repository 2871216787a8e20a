/**
 * `npm run bench -- drill` — the disaster-recovery drill (issue #12): a backup + restore of a 3-member TLS etcd
 * lab (seeded keys, apiserver stand-ins running), on one lab, by three contenders, runs interleaved:
 *   lifeboat  the built CLI: `lifeboat run playbooks/etcd-backup.yml`, then `… etcd-restore.yml -e snapshot=…`
 *   ansible   `ansible-playbook bench/ansible/etcd-drill.yml --tags backup`, then `--tags restore -e drill_snapshot=…`
 *             (Ansible's defaults plus pipelining, as bench/engine.ts runs it)
 *   floor     etcd's own work by hand over ssh2 connections opened beforehand, one shell command per host per
 *             step: snapshot save + fetch; copy + sha256sum; stop the control plane and etcd (leader last);
 *             old member/ aside, `etcdctl snapshot restore`, member/ into place, start; poll from the controller
 *             until every member answers with one leader; start the control plane
 * Between a contender's backup and its restore (not timed) half the seeded keys are deleted, so the restore has
 * something to bring back. After every restore (not timed) the bench checks, itself, from the controller: every
 * member answers, one leader that is a member, one cluster ID, the lab's 3 member names, every seeded key back
 * with its value, the apiserver stand-ins running. A run that fails that check is reported as failed, never
 * as a time. Wall time = backup + restore. Needs `npm run build` (the CLI) and root (the lab).
 *   npm run bench -- drill [--repeat 3] [--seed 2000] [--no-ansible] [--verbose (the floor's steps)]
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SshConnection } from '../src/connection/ssh-connection.js';
import { labSupport, startLab, type Lab } from '../test/lab/index.js';
import { median } from './engine.js';
import { labSpecs } from './ssh-floor.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'lifeboat.js');
const ANSIBLE_PLAYBOOK = path.join(ROOT, 'bench', 'ansible', 'etcd-drill.yml');
const CONTROL_PLANE = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

type Who = 'floor' | 'lifeboat' | 'ansible';
interface RunTimes {
  backupMs: number;
  restoreMs: number;
}
interface Outcome {
  who: Who;
  run: number;
  times?: RunTimes;
  failed?: string;
}

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ rc: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ rc: code ?? -1, out }));
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

/** The newest `*.db` in a backup directory. */
function newestSnapshot(dir: string): string {
  const dbs = readdirSync(dir)
    .filter((f) => f.endsWith('.db'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  const last = dbs.at(-1);
  if (!last) throw new Error(`no snapshot in ${dir}`);
  return last;
}

interface EndpointStatus {
  Endpoint: string;
  Status: { header: { cluster_id: number | string; member_id: number | string }; leader: number | string };
}

/** `etcdctl endpoint status -w json` on every member from the controller, ids as strings (they are uint64). */
async function endpointStatus(lab: Lab): Promise<{ rc: number; statuses: EndpointStatus[]; out: string }> {
  const t = lab.etcdTarget();
  const r = await sh('etcdctl', [`--endpoints=${t.endpoints.join(',')}`, ...t.tlsArgs, '--command-timeout=2s', 'endpoint', 'status', '-w', 'json'], { ...process.env, ETCDCTL_API: '3' });
  if (r.rc !== 0) return { rc: r.rc, statuses: [], out: r.out };
  // uint64 ids lose precision as JS numbers: quote them before parsing
  const json = r.out.trim().replace(/"(cluster_id|member_id|leader)":(\d+)/g, '"$1":"$2"');
  return { rc: 0, statuses: JSON.parse(json) as EndpointStatus[], out: r.out };
}

/** Problems with the cluster as the bench sees it from the controller, or [] when the restore is proven. */
async function verify(lab: Lab): Promise<string[]> {
  const problems: string[] = [];
  const st = await endpointStatus(lab);
  if (st.rc !== 0) return [`endpoint status failed: ${st.out.trim().slice(-400)}`];
  const ids = new Set(st.statuses.map((s) => String(s.Status.header.member_id)));
  const leaders = new Set(st.statuses.map((s) => String(s.Status.leader)));
  const clusters = new Set(st.statuses.map((s) => String(s.Status.header.cluster_id)));
  const etcdHosts = lab.hosts.filter((h) => h.etcd);
  if (st.statuses.length !== etcdHosts.length) problems.push(`${st.statuses.length} of ${etcdHosts.length} members answered`);
  if (ids.size !== etcdHosts.length) problems.push(`${ids.size} distinct member IDs`);
  if (leaders.size !== 1) problems.push(`leaders seen: ${[...leaders].join(', ')}`);
  else if (!ids.has([...leaders][0] as string) || [...leaders][0] === '0') problems.push(`the leader ${[...leaders][0]} is not a member`);
  if (clusters.size !== 1) problems.push(`cluster IDs seen: ${[...clusters].join(', ')}`);
  const t = lab.etcdTarget();
  const ml = await sh('etcdctl', [`--endpoints=${t.endpoints.join(',')}`, ...t.tlsArgs, 'member', 'list', '-w', 'json'], { ...process.env, ETCDCTL_API: '3' });
  const names = ml.rc === 0 ? (JSON.parse(ml.out).members as { name: string }[]).map((m) => m.name).sort() : [];
  const want = etcdHosts.map((h) => h.etcdName as string).sort();
  if (names.join() !== want.join()) problems.push(`members ${names.join(', ') || `(member list failed: ${ml.out.trim()})`}, not ${want.join(', ')}`);
  const got = await lab.readKeys();
  let missing = 0;
  for (const [k, v] of lab.expectedSeed()) if (got.get(k) !== v) missing++;
  if (missing > 0) problems.push(`${missing} of ${lab.expectedSeed().size} seeded keys missing or different`);
  for (const h of lab.hosts.filter((x) => x.master)) {
    for (const svc of CONTROL_PLANE) {
      if ((await lab.sh(h.name, `service ${svc} status >/dev/null`)).rc !== 0) problems.push(`${svc} not running on ${h.name}`);
    }
  }
  return problems;
}

/** Half the seeded keys deleted, between a backup and its restore (not timed). */
async function disaster(lab: Lab): Promise<void> {
  const n = await lab.disaster({ fraction: 0.5 });
  if (n === 0) throw new Error('the disaster deleted nothing: the restore would prove nothing');
}

async function lifeboatDrill(lab: Lab, dir: string): Promise<RunTimes> {
  const env = { ...process.env, CI: '1', NO_COLOR: '1' };
  const cli = (pb: string, extra: string[]) =>
    sh(process.execPath, [CLI, 'run', '-i', lab.inventoryIni, '--output', 'plain', '-e', `etcd_backup_dir=${dir}`, ...extra, path.join(ROOT, 'playbooks', pb)], env);
  const [backupMs, b] = await timed(() => cli('etcd-backup.yml', []));
  if (b.rc !== 0) throw new Error(`lifeboat backup exited ${b.rc}:\n${b.out.slice(-1500)}`);
  const snapshot = newestSnapshot(dir);
  await disaster(lab);
  const [restoreMs, r] = await timed(() => cli('etcd-restore.yml', ['-e', `snapshot=${snapshot}`]));
  if (r.rc !== 0) throw new Error(`lifeboat restore exited ${r.rc}:\n${r.out.slice(-1500)}`);
  return { backupMs, restoreMs };
}

async function ansibleDrill(lab: Lab, dir: string): Promise<RunTimes> {
  const env = { ...process.env, ANSIBLE_SSH_PIPELINING: 'True', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False' };
  const run = (tag: string, extra: string[]) =>
    sh('ansible-playbook', ['-i', lab.inventoryIni, ANSIBLE_PLAYBOOK, '--tags', tag, '-e', 'ansible_python_interpreter=/usr/bin/python3', '-e', `drill_backup_dir=${dir}`, ...extra], env);
  const [backupMs, b] = await timed(() => run('backup', []));
  if (b.rc !== 0) throw new Error(`ansible backup exited ${b.rc}:\n${b.out.slice(-1500)}`);
  const snapshot = newestSnapshot(dir);
  await disaster(lab);
  const [restoreMs, r] = await timed(() => run('restore', ['-e', `drill_snapshot=${snapshot}`]));
  if (r.rc !== 0) throw new Error(`ansible restore exited ${r.rc}:\n${r.out.slice(-1500)}`);
  return { backupMs, restoreMs };
}

const ETCDCTL = 'set -a; . /etc/etcd/etcdctl.env; set +a; etcdctl';
const FLOOR_SNAPSHOT = '/var/tmp/lifeboat-drill-floor.db';

/** etcd's own work, by hand: one command per host per step over connections opened before the clock starts. */
async function floorDrill(lab: Lab, conns: Map<string, SshConnection>, dir: string, run: number, verbose: boolean): Promise<RunTimes> {
  let tMark = performance.now();
  const marks: string[] = [];
  const mark = (what: string) => {
    const now = performance.now();
    marks.push(`${what} ${Math.round(now - tMark)} ms`);
    tMark = now;
  };
  const etcdHosts = lab.hosts.filter((h) => h.etcd);
  const masters = lab.hosts.filter((h) => h.master);
  const c = (name: string) => conns.get(name) as SshConnection;
  const ok = async (name: string, cmd: string, opts: Parameters<SshConnection['exec']>[1] = {}) => {
    const r = await c(name).exec(cmd, opts);
    if (r.rc !== 0) throw new Error(`floor: ${name}: ${cmd.slice(0, 80)}… exited ${r.rc}: ${r.stderr.trim().slice(-400)}`);
    return r;
  };
  const local = path.join(dir, `floor-${run}.db`);
  const source = etcdHosts[0]?.name as string;
  const [backupMs] = await timed(async () => {
    await ok(source, `${ETCDCTL} snapshot save ${FLOOR_SNAPSHOT} >/dev/null`);
    await c(source).get(FLOOR_SNAPSHOT, local);
  });
  await disaster(lab);
  const sum = (await sh('sha256sum', [local])).out.split(' ')[0] as string;
  const cluster = etcdHosts.map((h) => `${h.etcdName}=${h.peerUrl}`).join(',');
  const stopCp = CONTROL_PLANE.map((s) => `service ${s} stop >/dev/null`).join(' && ');
  const startCp = CONTROL_PLANE.map((s) => `service ${s} start >/dev/null`).join(' && ');
  const ts = `${Date.now()}`;
  const [restoreMs] = await timed(async () => {
    // copy + sha256 on every member, and the leader's name from the controller, at once
    const [st] = await Promise.all([
      endpointStatus(lab),
      ...etcdHosts.map((h) => ok(h.name, `cat > ${FLOOR_SNAPSHOT} && echo '${sum}  ${FLOOR_SNAPSHOT}' | sha256sum -c --quiet`, { stdin: createReadStream(local) })),
    ]);
    mark('copy + sha256, leader');
    const leaderId = String(st.statuses[0]?.Status.leader);
    const leaderUrl = st.statuses.find((s) => String(s.Status.header.member_id) === leaderId)?.Endpoint;
    const leader = etcdHosts.find((h) => h.clientUrl === leaderUrl)?.name;
    // the control plane off everywhere, etcd on the followers, then the leader's etcd
    await Promise.all(
      lab.hosts.map((h) => {
        const steps = [...(h.master ? [stopCp] : []), ...(h.etcd && h.name !== leader ? ['service etcd stop >/dev/null'] : [])];
        return steps.length ? ok(h.name, steps.join(' && ')) : undefined;
      }),
    );
    mark('control plane + followers stopped');
    if (leader) await ok(leader, 'service etcd stop >/dev/null');
    mark('leader stopped');
    await Promise.all(
      etcdHosts.map((h) =>
        ok(
          h.name,
          [
            'set -e',
            `mkdir /var/lib/etcd/.floor-old-${ts}`,
            `mv /var/lib/etcd/member /var/lib/etcd/.floor-old-${ts}/member`,
            `ETCDCTL_API=3 etcdctl snapshot restore ${FLOOR_SNAPSHOT} --name=${h.etcdName} --initial-cluster=${cluster} --initial-cluster-token=lifeboat-lab-${lab.id} --initial-advertise-peer-urls=${h.peerUrl} --data-dir=/var/lib/etcd/.floor-new-${ts} >/dev/null 2>&1`,
            `mv /var/lib/etcd/.floor-new-${ts}/member /var/lib/etcd/member`,
            'chown -R etcd:etcd /var/lib/etcd/member',
            'service etcd start >/dev/null',
          ].join('\n'),
        ),
      ),
    );
    mark('restored + started');
    // every member answering, one leader among them
    for (let i = 0; ; i++) {
      const s = await endpointStatus(lab);
      const leaders = new Set(s.statuses.map((x) => String(x.Status.leader)));
      if (s.rc === 0 && s.statuses.length === etcdHosts.length && leaders.size === 1 && !leaders.has('0')) break;
      if (i > 600) throw new Error(`floor: no leader after the restore: ${s.out.slice(-400)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    mark('one leader');
    await Promise.all(masters.map((h) => ok(h.name, startCp)));
    mark('control plane started');
  });
  if (verbose) console.log(`    floor restore: ${marks.join(', ')}`);
  return { backupMs, restoreMs };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)} s`;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { repeat: { type: 'string', default: '3' }, seed: { type: 'string', default: '2000' }, 'no-ansible': { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } },
  });
  const support = labSupport();
  if (!support.ok) {
    console.log(`bench drill skipped: the lab cannot run here (${support.why})`);
    return;
  }
  if (!existsSync(path.join(ROOT, 'dist'))) {
    console.log('bench drill skipped: `npm run build` first (it runs the built CLI)');
    return;
  }
  const repeat = Number(values.repeat);
  const seed = Number(values.seed);
  const ansible = !values['no-ansible'] && (await sh('sh', ['-c', 'command -v ansible-playbook'])).rc === 0;
  if (!values['no-ansible'] && !ansible) console.log('ansible-playbook is not installed: the Ansible baseline is left out');
  const load0 = loadavg()[0] as number;
  const lab = await startLab({ hosts: 3, seedKeys: seed });
  const dirs = { lifeboat: mkdtempSync(path.join(tmpdir(), 'lifeboat-drill-lb-')), ansible: mkdtempSync(path.join(tmpdir(), 'lifeboat-drill-ans-')), floor: mkdtempSync(path.join(tmpdir(), 'lifeboat-drill-floor-')) };
  const conns = new Map(labSpecs(lab).map((s) => [s.host, new SshConnection(s)]));
  const outcomes: Outcome[] = [];
  const loads: number[] = [load0];
  try {
    await Promise.all([...conns.values()].map((c) => c.connect()));
    const pre = await verify(lab);
    if (pre.length) throw new Error(`the lab is not sound before the drill: ${pre.join('; ')}`);
    const contenders: [Who, (r: number) => Promise<RunTimes>][] = [
      ['floor', (r) => floorDrill(lab, conns, dirs.floor, r, values.verbose === true)],
      ['lifeboat', () => lifeboatDrill(lab, dirs.lifeboat)],
      ...(ansible ? ([['ansible', () => ansibleDrill(lab, dirs.ansible)]] as [Who, (r: number) => Promise<RunTimes>][]) : []),
    ];
    // interleaved, so that a slow moment of the machine does not land on one contender only
    for (let r = 1; r <= repeat; r++) {
      for (const [who, drill] of contenders) {
        const o: Outcome = { who, run: r };
        try {
          o.times = await drill(r);
          const problems = await verify(lab);
          if (problems.length) {
            o.failed = `verification: ${problems.join('; ')}`;
            delete o.times;
          }
        } catch (e) {
          o.failed = (e as Error).message;
        }
        outcomes.push(o);
        loads.push(loadavg()[0] as number);
        const line = o.times ? `backup ${fmt(o.times.backupMs)}  restore ${fmt(o.times.restoreMs)}  drill ${fmt(o.times.backupMs + o.times.restoreMs)}  verified` : `FAILED: ${o.failed}`;
        console.log(`  run ${r} ${who.padEnd(9)} ${line}`);
        if (o.failed) {
          // a failed run may leave the cluster down: bring it back so the other contenders can still run
          const again = await verify(lab);
          if (again.length) throw new Error(`the lab is broken after a failed ${who} run (${again.join('; ')}); stopping`);
        }
      }
    }
  } finally {
    await Promise.all([...conns.values()].map((c) => c.close()));
    await lab.stop();
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  }
  const med = (who: Who) => {
    const ts = outcomes.filter((o) => o.who === who && o.times).map((o) => o.times as RunTimes);
    if (ts.length === 0) return undefined;
    return { n: ts.length, backupMs: median(ts.map((t) => t.backupMs)), restoreMs: median(ts.map((t) => t.restoreMs)), drillMs: median(ts.map((t) => t.backupMs + t.restoreMs)) };
  };
  const [lo, hi] = [Math.min(...loads), Math.max(...loads)];
  console.log(`drill: backup + restore of a 3-member TLS etcd lab (${seed} seeded keys, half deleted in between), every run verified; median of the verified runs; load average ${lo.toFixed(1)}–${hi.toFixed(1)}`);
  console.log(`  ${''.padEnd(30)} backup    restore     drill`);
  const floor = med('floor');
  const lb = med('lifeboat');
  const an = med('ansible');
  const label: Record<Who, string> = { floor: 'floor (etcd by hand, ssh2)', lifeboat: 'lifeboat (built CLI)', ansible: 'ansible-playbook (pipelining)' };
  for (const who of ['floor', 'lifeboat', 'ansible'] as Who[]) {
    const m = med(who);
    const failed = outcomes.filter((o) => o.who === who && o.failed).length;
    if (who === 'ansible' && !ansible) continue;
    const tail = failed ? `   (${failed} run(s) FAILED, not timed)` : '';
    console.log(`  ${label[who].padEnd(30)} ${m ? `${fmt(m.backupMs)} ${fmt(m.restoreMs)} ${fmt(m.drillMs)}  ${m.n} verified` : 'no verified run'}${tail}`);
  }
  if (lb && floor) console.log(`lifeboat / floor: ${(lb.drillMs / floor.drillMs).toFixed(2)}×  (restore alone ${(lb.restoreMs / floor.restoreMs).toFixed(2)}×, ${((lb.drillMs - floor.drillMs) / 1000).toFixed(2)} s above it)`);
  if (lb && an) {
    const ratio = lb.drillMs / an.drillMs;
    console.log(`lifeboat / ansible: ${ratio.toFixed(2)} (target ≤ 0.33)${ratio <= 1 / 3 ? '' : '  ← over target'}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
