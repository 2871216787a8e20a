import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ToolsDir } from './tools-dir.js';

const run = promisify(execFile);

/** Controller-side `snapshot status` when etcdutl/etcdctl exist here (null when no tool here). */
export async function localStatus(file: string, tools: ToolsDir | undefined): Promise<{ ok: boolean; text: string } | null> {
  for (const [cmd, args, env] of [
    [tools?.tools.etcdutl?.path ?? 'etcdutl', ['snapshot', 'status', file, '-w', 'json'], {}],
    [tools?.tools.etcdctl?.path ?? 'etcdctl', ['snapshot', 'status', file, '-w', 'json'], { ETCDCTL_API: '3' }],
  ] as const) {
    try {
      const r = await run(cmd, [...args], { env: { ...process.env, ...env }, timeout: 120_000 });
      return { ok: true, text: r.stdout.trim() };
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') continue;
      return { ok: false, text: (err.stderr ?? err.message).trim().split('\n').pop() ?? '' };
    }
  }
  return null;
}

