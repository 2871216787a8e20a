/**
 * `npm run bench -- copy` — a big snapshot to 3 lab hosts at once, each copy checked:
 *   raw          `ssh -F LAB host 'cat > FILE' < FILE` (OpenSSH), checked afterwards by `sha256sum` on the
 *                host (not timed: it is the floor's copy only)
 *   putVerified  Lifeboat's src/connection/put-verified.ts over its ssh2 connections: one exec channel, sha256
 *                on both sides while streaming, renamed into place only when the host saw the expected digest
 *   sftp+sum     Lifeboat's `put` (SFTP fastPut) then `sha256sum` on the host (a second read of the copy)
 * The file is generated (1 GiB by default: a 16 MiB random block repeated; ssh does not compress here), its
 * sha256 taken before the clock starts (as preflight has it from the manifest). Rate = 3 × size / wall time.
 *   npm run bench -- copy [--mib 1024] [--repeat 2]
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { putVerified } from '../src/connection/put-verified.js';
import { SshConnection } from '../src/connection/ssh-connection.js';
import { labSupport, startLab, type Lab } from '../test/lab/index.js';
import { median } from './engine.js';
import { labSpecs } from './ssh-floor.js';

const DEST = '/var/tmp/lifeboat-bench-copy.db';

function rawCopy(lab: Lab, host: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(file, 'r');
    const p = spawn('ssh', ['-F', lab.sshConfig, '-o', 'BatchMode=yes', host, `cat > ${DEST}`], { stdio: [fd, 'ignore', 'pipe'] });
    let err = '';
    p.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('close', (code) => {
      closeSync(fd);
      code === 0 ? resolve() : reject(new Error(`ssh ${host} cat exited ${code}: ${err}`));
    });
  });
}

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}

async function remoteSum(c: SshConnection): Promise<string> {
  const r = await c.exec(`sha256sum ${DEST}`);
  if (r.rc !== 0) throw new Error(`${c.host}: sha256sum: ${r.stderr}`);
  return r.stdout.split(' ')[0] ?? '';
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { mib: { type: 'string', default: '1024' }, repeat: { type: 'string', default: '2' } } });
  const support = labSupport();
  if (!support.ok) {
    console.log(`bench copy skipped: the lab cannot run here (${support.why})`);
    return;
  }
  const mib = Number(values.mib);
  const repeat = Number(values.repeat);
  const dir = mkdtempSync(path.join(tmpdir(), 'lifeboat-bench-copy-'));
  const file = path.join(dir, 'snapshot.db');
  const block = randomBytes(16 << 20);
  const fd = openSync(file, 'w');
  for (let done = 0; done < mib; done += 16) writeSync(fd, block, 0, Math.min(16, mib - done) << 20);
  closeSync(fd);
  const size = mib << 20;
  const sha256 = await sha256Of(file);
  const lab = await startLab({ hosts: 3, etcd: 0, masters: 0, tls: false });
  const conns = labSpecs(lab).map((s) => new SshConnection(s));
  const names = lab.hosts.map((h) => h.name);
  const times: Record<'raw' | 'putVerified' | 'sftp+sum', number[]> = { raw: [], putVerified: [], 'sftp+sum': [] };
  try {
    await Promise.all(conns.map((c) => c.connect()));
    const clean = () => Promise.all(conns.map((c) => c.exec(`rm -f ${DEST}`)));
    const check = async (what: string) => {
      for (const [i, got] of (await Promise.all(conns.map(remoteSum))).entries()) {
        if (got !== sha256) throw new Error(`${what}: the copy on ${names[i]} has sha256 ${got}, not ${sha256}`);
      }
    };
    for (let r = 0; r < repeat; r++) {
      await clean();
      times.raw.push(await timed(() => Promise.all(names.map((h) => rawCopy(lab, h, file)))));
      await check('raw');
      await clean();
      times.putVerified.push(await timed(() => Promise.all(conns.map((c) => putVerified(c, file, DEST, { sha256, size })))));
      await check('putVerified'); // already proved by the host while streaming; read again here only to show it
      await clean();
      times['sftp+sum'].push(
        await timed(() =>
          Promise.all(
            conns.map(async (c) => {
              await c.put(file, DEST, { mode: 0o600 });
              if ((await remoteSum(c)) !== sha256) throw new Error(`sftp+sum: ${c.host}: wrong sha256`);
            }),
          ),
        ),
      );
    }
    await clean();
  } finally {
    await Promise.all(conns.map((c) => c.close()));
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const rate = (s: number) => (3 * mib) / s;
  const raw = median(times.raw);
  console.log(`copy: ${mib} MiB to 3 lab hosts in parallel, every copy checked by sha256; median of ${repeat}`);
  for (const [name, xs] of Object.entries(times)) {
    const s = median(xs);
    console.log(`  ${name.padEnd(12)} ${s.toFixed(2).padStart(6)} s  ${rate(s).toFixed(0).padStart(5)} MiB/s total  ${((rate(s) / rate(raw)) * 100).toFixed(0).padStart(4)}% of raw`);
  }
  const pv = rate(median(times.putVerified)) / rate(raw);
  console.log(`putVerified / raw ssh cat: ${(pv * 100).toFixed(0)}% (target ≥ 80%)${pv >= 0.8 ? '' : '  ← under target'}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
