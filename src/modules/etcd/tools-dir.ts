import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants, open } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveLocal } from './local-snapshot.js';
import { parseVersion } from './version.js';

/**
 * `etcd_tools_dir`: etcd's tools on the controller (an unpacked release or Debian package), for nodes that have
 * none (kubeadm runs etcd in a container image). Each tool is found as `<dir>/<tool>`, `<dir>/bin/<tool>` or
 * `<dir>/usr/bin/<tool>`, and described by its sha256, its version (run here) and its CPU architecture (ELF).
 */
export type ToolName = 'etcdutl' | 'etcdctl';

export interface ControllerTool {
  name: ToolName;
  path: string;
  version: string;
  sha256: string;
  /** `uname -m` spelling of the ELF machine (x86_64, aarch64, …), or undefined when not an ELF file. */
  arch?: string;
}

export interface ToolsDir {
  dir: string;
  tools: Partial<Record<ToolName, ControllerTool>>;
  problems: string[];
}

const run = promisify(execFile);
const ELF_MACHINES: Record<number, string> = { 62: 'x86_64', 183: 'aarch64', 3: 'i686', 40: 'armv7l', 21: 'ppc64le', 243: 'riscv64', 22: 's390x' };

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

async function elfArch(file: string): Promise<string | undefined> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(20);
    await fh.read(b, 0, 20, 0);
    if (b.readUInt32BE(0) !== 0x7f454c46) return undefined;
    const m = b[5] === 2 ? b.readUInt16BE(18) : b.readUInt16LE(18);
    return ELF_MACHINES[m] ?? `elf-machine-${m}`;
  } finally {
    await fh.close();
  }
}

async function findTool(dir: string, name: ToolName): Promise<string | undefined> {
  for (const p of [join(dir, name), join(dir, 'bin', name), join(dir, 'usr', 'bin', name)]) {
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

const cache = new Map<string, Promise<ToolsDir>>();

/** Reads the tools of a controller directory once per run (sha256 + version of a 20 MB binary each). */
export function readToolsDir(dirIn: string): Promise<ToolsDir> {
  const dir = resolveLocal(dirIn);
  let p = cache.get(dir);
  if (!p) {
    p = scan(dir);
    cache.set(dir, p);
  }
  return p;
}

async function scan(dir: string): Promise<ToolsDir> {
  const out: ToolsDir = { dir, tools: {}, problems: [] };
  for (const name of ['etcdutl', 'etcdctl'] as const) {
    const path = await findTool(dir, name);
    if (!path) continue;
    try {
      const r = await run(path, ['version'], { env: { ...process.env, ETCDCTL_API: '3' }, timeout: 30_000 });
      const v = parseVersion(r.stdout.split('\n')[0]);
      if (!v) throw new Error(`it printed no version: ${r.stdout.trim().slice(0, 100)}`);
      const arch = await elfArch(path);
      out.tools[name] = { name, path, version: `${v.major}.${v.minor}.${v.patch}`, sha256: await sha256(path), ...(arch ? { arch } : {}) };
    } catch (e) {
      out.problems.push(`etcd_tools_dir: ${path} does not run here (\`${name} version\`: ${(e as Error).message.split('\n')[0]})`);
    }
  }
  if (!out.tools.etcdutl && !out.tools.etcdctl && !out.problems.length) {
    out.problems.push(`etcd_tools_dir ${dir} holds no etcdutl or etcdctl (looked in ${dir}, ${dir}/bin, ${dir}/usr/bin)`);
  }
  return out;
}
