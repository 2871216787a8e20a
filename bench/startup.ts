/**
 * `npm run bench -- startup` (or `npm run bench:startup`) — the CLI's start-up: `lifeboat --version` and a one-task local run (`command: /bin/true`
 * on the implicit localhost), median of N whole processes each, after `npm run build`. Node's own start (`node -e 0`)
 * is the floor. Reports; asserts nothing.
 *   npm run bench -- startup --repeat 10
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/lifeboat.js');

function median(args: string[], repeat: number): number {
  const ms: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)] ?? Number.NaN;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { repeat: { type: 'string', default: '10' } } });
  const repeat = Number(values.repeat);
  const dir = mkdtempSync(path.join(tmpdir(), 'lifeboat-bench-startup-'));
  try {
  const pb = path.join(dir, 'one.yml');
  writeFileSync(pb, '- hosts: local\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n');
  const inv = path.join(dir, 'hosts.yml');
  writeFileSync(inv, 'local:\n  hosts:\n    here:\n      ansible_connection: local\n');
  const rows: Array<[string, number]> = [
    ['node -e 0 (floor)', median(['-e', '0'], repeat)],
    ['lifeboat --version', median([BIN, '--version'], repeat)],
    ['lifeboat run (1 local task, plain)', median([BIN, 'run', pb, '-i', inv, '--output', 'plain'], repeat)],
  ];
  console.log(`start-up, median of ${repeat} processes each:`);
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(38)} ${ms.toFixed(0).padStart(5)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
