/**
 * `npm run bench -- scale` — the controller at 10 and at 100 hosts: K `command: /bin/true` tasks through the
 * built CLI (`node bin/lifeboat.js run … --output none -f HOSTS`) on a lab without etcd, run under
 * /usr/bin/time, which reports the child's own rusage (wait4): wall time, CPU (user + sys) and peak RSS. The
 * figure compared across sizes is CPU per host-task (connections, start-up and every task's work included).
 *   npm run bench -- scale [--sizes 10,100] [--tasks 20] [--repeat 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { labSupport, startLab } from '../test/lab/index.js';
import { benchPlaybook, median } from './engine.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/lifeboat.js');

interface Sample {
  wallS: number;
  cpuS: number;
  rssMiB: number;
}

function timedRun(args: string[]): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', 'LBTIME %e %U %S %M', process.execPath, BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /LBTIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`lifeboat run exited ${r.status}:\n${(r.stdout + r.stderr).slice(-2000)}`);
  return { wallS: Number(m[1]), cpuS: Number(m[2]) + Number(m[3]), rssMiB: Number(m[4]) / 1024 };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { sizes: { type: 'string', default: '10,100' }, tasks: { type: 'string', default: '20' }, repeat: { type: 'string', default: '3' } },
  });
  const support = labSupport();
  if (!support.ok) {
    console.log(`bench scale skipped: the lab cannot run here (${support.why})`);
    return;
  }
  const tasks = Number(values.tasks);
  const repeat = Number(values.repeat);
  const dir = mkdtempSync(path.join(tmpdir(), 'lifeboat-bench-scale-'));
  const pb = path.join(dir, 'bench.yml');
  writeFileSync(pb, benchPlaybook(tasks));
  const rows: Array<{ hosts: number; bootS: number; wallS: number; cpuS: number; rssMiB: number; perHostTaskMs: number }> = [];
  try {
    for (const hosts of String(values.sizes).split(',').map(Number)) {
      const t0 = performance.now();
      const lab = await startLab({ hosts, etcd: 0, masters: 0, tls: false });
      const bootS = (performance.now() - t0) / 1000;
      try {
        const argv = ['run', pb, '-i', lab.inventoryIni, '--output', 'none', '-f', String(hosts)];
        timedRun(argv); // warm-up (page cache, the hosts' sshd)
        const s: Sample[] = [];
        for (let i = 0; i < repeat; i++) s.push(timedRun(argv));
        const cpuS = median(s.map((x) => x.cpuS));
        rows.push({
          hosts,
          bootS,
          wallS: median(s.map((x) => x.wallS)),
          cpuS,
          rssMiB: Math.max(...s.map((x) => x.rssMiB)),
          perHostTaskMs: (cpuS * 1000) / (hosts * tasks),
        });
      } finally {
        await lab.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`scale: ${tasks} × command: /bin/true, forks = hosts, lab without etcd; median of ${repeat} runs of the CLI (peak RSS: the largest)`);
  console.log('hosts  lab boot   wall     CPU (user+sys)  CPU per host-task  peak RSS');
  for (const r of rows) {
    console.log(
      `${String(r.hosts).padStart(5)}  ${r.bootS.toFixed(1).padStart(6)} s  ${r.wallS.toFixed(2).padStart(5)} s  ${r.cpuS.toFixed(2).padStart(8)} s       ${r.perHostTaskMs.toFixed(2).padStart(7)} ms       ${r.rssMiB.toFixed(0).padStart(4)} MiB`,
    );
  }
  const small = rows[0];
  const big = rows[rows.length - 1];
  if (small && big && small !== big) {
    const ratio = big.perHostTaskMs / small.perHostTaskMs;
    console.log(`CPU per host-task, ${big.hosts} vs ${small.hosts} hosts: ${ratio.toFixed(2)}× (target ≤ 1.2×)${ratio <= 1.2 ? '' : '  ← over target'}; peak RSS ${big.rssMiB.toFixed(0)} MiB (target < 300)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
