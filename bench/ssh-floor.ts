/**
 * The SSH floor: K sequential `/bin/true` exec requests over one already-open connection per host, M hosts
 * in parallel. Two figures:
 *   raw        — bare ssh2 `client.exec` on the connection Lifeboat opens (Nagle off, keepalive on);
 *   connection — `SshConnection.exec` (Lifeboat's command line: /bin/sh, pid line, channel cap).
 * Connections are opened before the clock starts. `bench/engine.ts` compares the engine against `floorOnLab`.
 *
 *   npx tsx bench/ssh-floor.ts [--hosts 10] [--execs 20] [--repeat 3] [--sshd]
 * Runs on the lab (test/lab) by default; `--sshd` (or a machine where the lab cannot run but sshd can) uses
 * throwaway sshds on 127.0.0.1 instead (test/connection/sshd.ts). Prints milliseconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type ssh2 from 'ssh2';
import { connectionSpecFor } from '../src/connection/spec.js';
import { closeOpened, type OpenedClient, openClient } from '../src/connection/ssh-connect.js';
import { SshConnection } from '../src/connection/ssh-connection.js';
import type { ConnectionSpec } from '../src/connection/types.js';
import type { Lab } from '../test/lab/index.js';

function rawExec(c: ssh2.Client, cmd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    c.exec(cmd, (err, stream) => {
      if (err) return reject(err);
      stream.on('data', () => {});
      stream.stderr.on('data', () => {});
      stream.on('close', (code?: number) => resolve(code ?? -1));
    });
  });
}

async function timed(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/** ms for `perHost` sequential raw execs of `cmd` on every spec's host, hosts in parallel. */
export async function rawFloor(specs: ConnectionSpec[], cmd: string, perHost: number): Promise<number> {
  const opened: OpenedClient[] = await Promise.all(specs.map((s) => openClient(s)));
  try {
    return await timed(async () => {
      await Promise.all(
        opened.map(async (o) => {
          for (let i = 0; i < perHost; i++) {
            const rc = await rawExec(o.client, cmd);
            if (rc !== 0) throw new Error(`${cmd} exited ${rc}`);
          }
        }),
      );
    });
  } finally {
    for (const o of opened) closeOpened(o);
  }
}

/** The same through Lifeboat's connection layer. */
export async function connectionFloor(specs: ConnectionSpec[], cmd: string, perHost: number): Promise<number> {
  const conns = specs.map((s) => new SshConnection(s));
  await Promise.all(conns.map((c) => c.connect()));
  try {
    return await timed(async () => {
      await Promise.all(
        conns.map(async (c) => {
          for (let i = 0; i < perHost; i++) {
            const r = await c.exec(cmd);
            if (r.rc !== 0) throw new Error(`${cmd} exited ${r.rc}: ${r.stderr}`);
          }
        }),
      );
    });
  } finally {
    await Promise.all(conns.map((c) => c.close()));
  }
}

export function labSpecs(lab: Lab): ConnectionSpec[] {
  return lab.hosts.map((h) =>
    connectionSpecFor(
      h.name,
      { ansible_host: h.address, ansible_user: 'root', ansible_ssh_private_key_file: lab.clientKey },
      { sshConfigFile: lab.sshConfig },
    ),
  );
}

function sshRun(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(0) : reject(new Error(`ssh ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

/**
 * OpenSSH's own floor for a tool that runs one `ssh` per command (Ansible's way): a ControlMaster per host
 * opened before the clock starts, then `perHost` sequential `ssh -o ControlPath=… HOST cmd` per host, hosts in
 * parallel. Each command still starts an ssh client and a new session on the shared connection.
 */
export async function controlMasterFloor(lab: Lab, cmd: string, perHost: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lb-cm-'));
  const base = (h: string) => ['-F', lab.sshConfig, '-o', `ControlPath=${dir}/${h}`, '-o', 'BatchMode=yes'];
  const names = lab.hosts.map((h) => h.name);
  try {
    await Promise.all(names.map((h) => sshRun([...base(h), '-o', 'ControlMaster=yes', '-o', 'ControlPersist=yes', '-f', '-N', h])));
    return await timed(async () => {
      await Promise.all(
        names.map(async (h) => {
          for (let i = 0; i < perHost; i++) await sshRun([...base(h), h, cmd]);
        }),
      );
    });
  } finally {
    for (const h of names) spawnSync('ssh', [...base(h), '-O', 'exit', h], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor bench/engine.ts compares against: raw exec requests over open connections, on the lab's hosts. */
export async function floorOnLab(lab: Lab, cmd: string, perHost: number): Promise<number> {
  return rawFloor(labSpecs(lab), cmd, perHost);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function withHosts(n: number, useSshd: boolean, fn: (specs: ConnectionSpec[], where: string) => Promise<void>) {
  const { labSupport, startLab } = await import('../test/lab/index.js');
  const support = labSupport();
  if (!useSshd && support.ok) {
    const lab = await startLab({ hosts: n, etcd: 0, masters: 0, tls: false });
    try {
      return await fn(labSpecs(lab), `${n} lab hosts`);
    } finally {
      await lab.stop();
    }
  }
  if (process.getuid?.() !== 0) {
    console.log(`ssh-floor skipped: needs root (lab: ${support.ok ? 'ok' : support.why})`);
    return;
  }
  const { startBench } = await import('../test/connection/setup.js');
  const benches = await Promise.all(Array.from({ length: n }, () => startBench()));
  try {
    return await fn(benches.map((b) => b.spec()), `${n} throwaway sshds on 127.0.0.1`);
  } finally {
    await Promise.all(benches.map((b) => b.cleanup()));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '10' },
      execs: { type: 'string', default: '20' },
      repeat: { type: 'string', default: '3' },
      sshd: { type: 'boolean', default: false },
    },
  });
  const hosts = Number(values.hosts);
  const execs = Number(values.execs);
  const repeat = Number(values.repeat);
  await withHosts(hosts, values.sshd, async (specs, where) => {
    const raw: number[] = [];
    const conn: number[] = [];
    await rawFloor(specs, '/bin/true', 2); // warm-up
    for (let i = 0; i < repeat; i++) {
      raw.push(await rawFloor(specs, '/bin/true', execs));
      conn.push(await connectionFloor(specs, '/bin/true', execs));
    }
    const line = (name: string, ms: number) =>
      `${name.padEnd(12)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / execs).toFixed(2).padStart(7)} ms/exec per host`;
    console.log(`ssh-floor: ${execs} sequential /bin/true per host, ${where} in parallel, median of ${repeat}`);
    console.log(line('raw', median(raw)));
    console.log(line('connection', median(conn)));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
