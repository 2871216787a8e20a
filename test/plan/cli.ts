import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../src/executor/events.js';
import type { Plan, PlanHostEntry } from '../../src/planner/index.js';
import type { Lab } from '../lab/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '../..');
export const FIXTURES = join(HERE, 'fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI (src/cli/main.ts through test/plan/entry.ts) in a child process; never throws on exit codes. */
export function lifeboat(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(HERE, 'entry.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', CI: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
      (err, stdout, stderr) => {
        const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? 99 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Every plan entry, with its play and task, in order. */
export function entries(plan: Plan): Array<{ play: string; task: string; taskId: string; e: PlanHostEntry }> {
  return plan.plays.flatMap((p) => p.tasks.flatMap((t) => t.hosts.map((e) => ({ play: p.name, task: t.name, taskId: t.id, e }))));
}

export function entry(plan: Plan, task: string, host: string, item?: unknown): PlanHostEntry {
  const found = entries(plan).filter((x) => x.task === task && x.e.host === host && (item === undefined || JSON.stringify(x.e.item) === JSON.stringify(item)));
  if (found.length !== 1) throw new Error(`expected one plan entry for "${task}" on ${host}${item === undefined ? '' : ` item ${JSON.stringify(item)}`}, found ${found.length}`);
  return (found[0] as { e: PlanHostEntry }).e;
}

export function ndjson(text: string): RunEvent[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
}

/**
 * What a plan must not change on a host, read on the controller side: every file the host itself wrote (the
 * upper dirs of its /etc, /var, /usr/local overlays; its /tmp, /root, /etc/etcd, /etc/kubernetes) and, with
 * `etcd`, its etcd data dir — each path with mode, size and sha256 — plus its services' pids and states.
 * /var/log is left out (sshd logs every connection), and so is the apiserver stand-in's scratch file in /tmp.
 */
export async function hostState(lab: Lab, host: string, opts: { etcd?: boolean } = {}): Promise<string> {
  const fs = join(lab.dir, 'hosts', host, 'fs');
  const dirs = ['etc.upper', 'var.upper', 'usrlocal.upper', 'tmp', 'root', 'etc-etcd', 'etc-kubernetes', ...(opts.etcd ? ['var-lib-etcd'] : [])];
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (p === join(fs, 'var.upper', 'log')) continue;
      if (p === join(fs, 'tmp', '.apiserver-put')) continue; // the apiserver stand-in's scratch file, rewritten every 0.5 s
      const st = lstatSync(p);
      const sum = st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : '';
      lines.push(`${p.slice(fs.length)} ${(st.mode & 0o7777).toString(8)} ${st.uid} ${st.isFile() ? st.size : ''} ${sum}`);
      if (st.isDirectory()) walk(p);
    }
  };
  for (const d of dirs) if (existsSync(join(fs, d))) walk(join(fs, d));
  const r = await lab.sh(host, 'for s in etcd kube-apiserver kube-controller-manager kube-scheduler; do echo "$s pid $(cat /run/$s.pid 2>/dev/null)"; service $s status >/dev/null 2>&1; echo "$s status $?"; done');
  return `${lines.join('\n')}\n${r.stdout}`;
}

/**
 * Plan entries against the run's `host_result` events (`--json`): every planned step must be what ran, in
 * order; a planned skip must be a skip. run_once copies (planned on the first host) and entries the plan could
 * not work out (unknown, no steps) are not compared. Returns the mismatches and how many entries had steps.
 */
export function compareRun(plan: Plan, events: RunEvent[]): { mismatches: string[]; compared: number } {
  const results = events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result');
  const mismatches: string[] = [];
  let compared = 0;
  for (const { task, taskId, e } of entries(plan)) {
    const ran = results.filter((x) => x.taskId === taskId && x.host === e.host && JSON.stringify(x.item ?? null) === JSON.stringify(e.item ?? null));
    if (e.status === 'skip') {
      if (ran.length !== 1 || ran[0]?.status !== 'skipped') mismatches.push(`${task} ${e.host}: planned skip, ran ${JSON.stringify(ran.map((x) => x.status))}`);
      continue;
    }
    if (e.runOn && e.runOn !== e.host && e.steps.length === 0) continue;
    if (e.status === 'unknown' && e.steps.length === 0) continue;
    if (e.steps.length) compared++;
    const ranSteps = ran.flatMap((x) => (x.steps ?? []).map((st) => st.text));
    const planned = e.steps.map((st) => st.text);
    if (JSON.stringify(ranSteps) !== JSON.stringify(planned)) mismatches.push(`${task} ${e.host}${e.item === undefined ? '' : ` ${JSON.stringify(e.item)}`}: planned ${JSON.stringify(planned)}, ran ${JSON.stringify(ranSteps)}`);
  }
  return { mismatches, compared };
}
