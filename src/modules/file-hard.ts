/**
 * `file` with `state: hard`: `path` a hard link to `src` (absolute, as Ansible requires). The same inode on the
 * same device is no change; another file at `path` is replaced only with `force` (as Ansible: "Cannot link");
 * a directory never. mode/owner/group then apply to the one inode both names share.
 */
import { shellJoin } from '../connection/quote.js';
import { argError, failedOp, probe } from './common.js';
import { parseStat, type RemoteStat, statCommand } from './lib/remote-stat.js';
import type { ModuleContext, Operation, Step } from './types.js';

export type HardPlan = { kind: 'fail'; op: Operation } | { kind: 'ok'; steps: Step[]; st: RemoteStat };

export async function planHardLink(ctx: ModuleContext<unknown>, path: string, src: string, force: boolean, st: RemoteStat): Promise<HardPlan> {
  if (!src.startsWith('/')) throw argError('file', ctx, `src must be an absolute path for state=hard (got ${src})`, 'give the full path of the file to link to');
  const r = await probe(ctx, statCommand(src, { follow: false, checksum: false }));
  const from = parseStat(r.stdout);
  const fail = (msg: string, hint?: string): HardPlan => ({ kind: 'fail', op: failedOp(msg, { path, src, state: 'hard', ...(hint ? { hint } : {}) }) });
  if (!from.exists) return fail(`src file does not exist, use "force=yes" if you really want to create the link: ${src}`);
  if (from.type === 'directory') return fail(`${src} is a directory: a hard link needs a file`);
  if (st.exists && st.type === 'directory') return fail(`${path} is a directory; not replacing it with a hard link`);
  if (st.exists && st.inode === from.inode && st.dev === from.dev) return { kind: 'ok', steps: [], st };
  if (st.exists && !force) return fail(`Cannot link: ${path} exists and is another file`, 'set force: true to replace it');
  const step: Step = {
    kind: 'exec',
    cmd: shellJoin(['ln', '-f', '--', src, path]),
    description: `hard link ${path} to ${src}`,
    ...(st.exists ? { destructive: `replaces ${path} with a hard link to ${src}` } : {}),
  };
  return { kind: 'ok', steps: [step], st: { ...from, exists: true } };
}
