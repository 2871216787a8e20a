import { basename } from 'node:path';
import { LifeboatError } from '../../errors.js';
import { applyPrune, planPrune, storeSnapshots, verifySnapshot } from '../../modules/etcd/snapshot-store.js';
import { EXIT } from '../../executor/exit-code.js';
import type { Io } from '../io.js';
import { bool, type CommandSpec, type Parsed, str } from '../spec.js';
import { isStoreUrl, openCliStore, storeAction } from './snapshots-store.js';

export const snapshotsSpec: CommandSpec = {
  name: 'snapshots',
  summary: 'List, verify or prune the etcd snapshots of a backup directory or store (each with its Lifeboat manifest).',
  usage: 'lifeboat snapshots (list | verify | prune) (DIR | sftp://HOST/DIR | s3://BUCKET/PREFIX) [-i INVENTORY] [-e VARS] [--cluster NAME] [--retain N --keep-hourly N --keep-daily N --keep-weekly N] [--yes] [--json]',
  options: [
    { name: 'cluster', type: 'string', valueName: 'NAME', desc: 'Only snapshots of this cluster (required for prune: the name in their manifests)' },
    { name: 'retain', type: 'string', valueName: 'N', desc: 'prune: keep the newest N' },
    { name: 'keep-hourly', type: 'string', valueName: 'N', desc: 'prune: also the newest of each of the last N hours that hold one' },
    { name: 'keep-daily', type: 'string', valueName: 'N', desc: 'prune: also the newest of each of the last N days' },
    { name: 'keep-weekly', type: 'string', valueName: 'N', desc: 'prune: also the newest of each of the last N ISO weeks' },
    { name: 'yes', type: 'boolean', desc: 'prune: remove (without it, prune only shows what it would remove)' },
    { name: 'json', type: 'boolean', desc: 'JSON output' },
    { name: 'inventory', short: 'i', type: 'string', multiple: true, valueName: 'PATH', desc: 'A store: the inventory that knows its host (sftp) or holds etcd_backup_s3_* in group all' },
    { name: 'extra-vars', short: 'e', type: 'string', multiple: true, valueName: 'VARS', desc: 'A store: etcd_backup_s3_endpoint=…, _region, _path_style, credentials (masked)' },
    { name: 'ssh-config', type: 'string', valueName: 'FILE', desc: 'A store on sftp: OpenSSH client config to read' },
  ],
  examples: [
    'lifeboat snapshots list etcd-backups',
    'lifeboat snapshots verify /srv/backups/etcd',
    'lifeboat snapshots verify sftp://backup1/srv/etcd -i inventories/prod',
    'lifeboat snapshots list s3://backups/etcd/prod -e etcd_backup_s3_endpoint=http://minio:9000 -e etcd_backup_s3_path_style=true',
    'lifeboat snapshots prune etcd-backups --cluster prod --retain 5 --keep-daily 7 --keep-weekly 4 --yes',
  ],
  footer: 'Exit codes: 0 ok; 2 a snapshot does not verify (verify), or prune refused; 4 bad usage.',
};

const count = (v: Parsed['values'], name: string): number => {
  const s = str(v, name);
  if (s === undefined) return 0;
  if (!/^\d+$/.test(s)) throw new LifeboatError('E_USAGE', `--${name} must be a whole number, got "${s}"`);
  return Number(s);
};

export async function snapshotsCommand(p: Parsed, io: Io): Promise<number> {
  const [action, dir, ...rest] = p.positionals;
  if (!action || !['list', 'verify', 'prune'].includes(action) || !dir || rest.length) {
    throw new LifeboatError('E_USAGE', 'give an action (list, verify or prune) and a backup directory', { hint: 'lifeboat snapshots list etcd-backups' });
  }
  const v = p.values;
  const json = bool(v, 'json');
  const cluster = str(v, 'cluster');
  const out = (x: unknown, text: string) => io.out.write(json ? `${JSON.stringify(x, null, 2)}\n` : text);
  const policyOf = () => ({ last: count(v, 'retain'), hourly: count(v, 'keep-hourly'), daily: count(v, 'keep-daily'), weekly: count(v, 'keep-weekly') });
  if (action === 'prune') {
    if (!cluster) throw new LifeboatError('E_USAGE', 'prune needs --cluster NAME (only snapshots whose manifest names it are ever removed)');
    const p = policyOf();
    if (!p.last && !p.hourly && !p.daily && !p.weekly) throw new LifeboatError('E_USAGE', 'prune needs a policy: --retain N and/or --keep-hourly/--keep-daily/--keep-weekly N');
  }
  if (isStoreUrl(dir)) {
    const { store, close } = await openCliStore(dir, v, io);
    try {
      return await storeAction(action, store, cluster, action === 'prune' ? policyOf() : undefined, bool(v, 'yes'), out, io);
    } finally {
      await close();
    }
  }
  if (action === 'list') {
    const all = await storeSnapshots(dir, cluster);
    out(all, all.map((s) => `${basename(s.file)}  ${s.manifest.cluster}  ${s.manifest.member}  ${s.manifest.time}  rev ${s.manifest.revision}  ${s.manifest.total_keys} keys  ${s.manifest.total_size} B  sha256 ${s.manifest.sha256.slice(0, 12)}…${s.manifest.kv ? `  hashkv ${s.manifest.kv.hashkv}` : ''}\n`).join('') || `no snapshot with a manifest in ${dir}\n`);
    return EXIT.OK;
  }
  if (action === 'verify') {
    const all = await Promise.all((await storeSnapshots(dir, cluster)).map(verifySnapshot));
    out(all.map((s) => ({ file: s.file, ok: s.ok, problems: s.problems })), all.map((s) => `${s.ok ? 'ok      ' : 'FAILED  '}${basename(s.file)}${s.ok ? '' : `: ${s.problems.join('; ')}`}\n`).join('') || `no snapshot with a manifest in ${dir}\n`);
    return all.every((s) => s.ok) ? EXIT.OK : EXIT.TASK_FAILED;
  }
  const plan = await planPrune(dir, cluster ?? '', policyOf());
  const yes = bool(v, 'yes');
  let removed: string[] = [];
  try {
    if (yes) removed = await applyPrune(plan);
  } catch (e) {
    io.err.write(`error: ${(e as Error).message}\n`);
    return EXIT.TASK_FAILED;
  }
  out(
    { keep: plan.keep.map((s) => s.file), remove: plan.remove.map((s) => s.file), removed },
    `${plan.keep.map((s) => `keep    ${basename(s.file)}\n`).join('')}${plan.remove.map((s) => `${yes ? 'removed ' : 'remove  '}${basename(s.file)}\n`).join('')}${yes || !plan.remove.length ? '' : 'nothing removed yet: add --yes\n'}`,
  );
  return EXIT.OK;
}
