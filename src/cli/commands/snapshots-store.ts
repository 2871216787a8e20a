import { basename } from 'node:path';
import { connectionSpecFor, createConnectionPool } from '../../connection/index.js';
import { LifeboatError } from '../../errors.js';
import { hostInventoryVars, loadInventory } from '../../inventory/index.js';
import type { Inventory, Vars } from '../../inventory/types.js';
import type { S3Options } from '../../modules/etcd/s3-store.js';
import { applyStorePrune, planStorePrune, type SnapshotStore, verifyInStore } from '../../modules/etcd/store.js';
import { openStore, parseStoreUrl } from '../../modules/etcd/store-open.js';
import type { RetentionPolicy } from '../../modules/etcd/retention.js';
import { PASSWORD_VARS } from '../../vars/index.js';
import { EXIT } from '../../executor/exit-code.js';
import { parseExtraVars } from './../extra-vars.js';
import type { Io } from '../io.js';
import { resolveInventoryArg } from '../session.js';
import { str, strs, type Values } from '../spec.js';

export const isStoreUrl = (s: string): boolean => s.startsWith('sftp://') || s.startsWith('s3://');

/** The s3 settings from the variables the playbooks read (etcd_backup_s3_*), from -e and the inventory's `all`. */
function s3Options(vars: Vars): S3Options {
  const s = (k: string) => (typeof vars[`etcd_backup_s3_${k}`] === 'string' && vars[`etcd_backup_s3_${k}`] !== '' ? String(vars[`etcd_backup_s3_${k}`]) : undefined);
  const n = (k: string) => (vars[`etcd_backup_s3_${k}`] === undefined || vars[`etcd_backup_s3_${k}`] === '' ? undefined : Number(vars[`etcd_backup_s3_${k}`]));
  const pathStyle = vars.etcd_backup_s3_path_style;
  const o: S3Options = { path_style: pathStyle === true || pathStyle === 'true' };
  for (const k of ['endpoint', 'region', 'access_key_id', 'secret_access_key'] as const) {
    const v = s(k);
    if (v !== undefined) o[k] = v;
  }
  for (const k of ['request_timeout', 'max_attempts'] as const) {
    const v = n(k);
    if (v !== undefined) o[k] = v;
  }
  return o;
}

/**
 * Opens a store named by URL for `lifeboat snapshots`: an sftp:// host through the inventory (-i, optional) or the
 * SSH config; an s3:// store with the etcd_backup_s3_* variables (-e, or the inventory's group `all`), whose
 * credentials are masked in everything printed.
 */
export async function openCliStore(url: string, v: Values, io: Io): Promise<{ store: SnapshotStore; close: () => Promise<void> }> {
  const spec = parseStoreUrl(url);
  if (!spec) throw new LifeboatError('E_USAGE', `"${url}" is not a store URL`);
  const invPaths = strs(v, 'inventory').map(resolveInventoryArg);
  const inventory: Inventory | undefined = invPaths.length ? await loadInventory(invPaths) : undefined;
  const extra = parseExtraVars(strs(v, 'extra-vars'));
  const allVars: Vars = { ...(inventory?.groups.get('all')?.vars ?? {}), ...extra };
  for (const name of PASSWORD_VARS) if (typeof allVars[name] === 'string' && allVars[name]) io.secrets.add(allVars[name] as string);
  const sshConfig = str(v, 'ssh-config');
  const pool = createConnectionPool({
    specFor: (host) => connectionSpecFor(host, inventory?.hosts.has(host) ? hostInventoryVars(inventory, host) : {}, sshConfig ? { sshConfigFile: sshConfig } : {}),
  });
  const store = await openStore(spec, (h) => pool.get(h), s3Options(allVars));
  return {
    store,
    close: async () => {
      (store as { destroy?: () => void }).destroy?.();
      await pool.closeAll();
    },
  };
}

type Out = (x: unknown, text: string) => void;

/** list / verify / prune on a store: the same output and exit codes as on a directory. */
export async function storeAction(action: string, store: SnapshotStore, cluster: string | undefined, policy: RetentionPolicy | undefined, yes: boolean, out: Out, io: Io): Promise<number> {
  const all = (await store.list()).filter((e) => cluster === undefined || e.m.cluster === cluster);
  if (action === 'list') {
    out(
      all.map((e) => ({ file: e.file, manifest: e.m })),
      all.map((e) => `${basename(e.file)}  ${e.m.cluster}  ${e.m.member}  ${e.m.time}  rev ${e.m.revision}  ${e.m.total_keys} keys  ${e.m.stored?.size ?? e.m.total_size} B  sha256 ${(e.m.stored?.sha256 ?? e.m.sha256).slice(0, 12)}…\n`).join('') || `no snapshot with a manifest in ${store.url}\n`,
    );
    return EXIT.OK;
  }
  if (action === 'verify') {
    const res = [];
    for (const e of all) res.push({ file: e.file, problems: await verifyInStore(store, e) });
    out(
      res.map((r) => ({ ...r, ok: !r.problems.length })),
      res.map((r) => `${r.problems.length ? 'FAILED  ' : 'ok      '}${basename(r.file)}${r.problems.length ? `: ${r.problems.join('; ')}` : ''}\n`).join('') || `no snapshot with a manifest in ${store.url}\n`,
    );
    return res.every((r) => !r.problems.length) ? EXIT.OK : EXIT.TASK_FAILED;
  }
  if (!cluster || !policy) throw new LifeboatError('E_USAGE', 'prune needs --cluster NAME and a policy');
  const plan = await planStorePrune(store, cluster, policy);
  let removed: string[] = [];
  try {
    if (yes) removed = await applyStorePrune(store, plan);
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
