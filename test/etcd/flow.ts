import type { ModuleResult } from '../../src/modules/types.js';
import type { ModuleHarness } from './harness.js';

/**
 * The restore order of playbooks/etcd-restore.yml, driven module by module through the harness (for the
 * module integration tests; the playbook itself is tested through the engine separately):
 * preflight → stop control plane → copy + sha256 on every node → stop etcd everywhere → restore everywhere in
 * parallel → start all together → verify → (rollback on failure) → start control plane.
 */
export const CONTROL_PLANE = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

export interface FlowResult {
  preflight: ModuleResult;
  restores?: ModuleResult[];
  verify?: ModuleResult;
  rollbacks?: ModuleResult[];
  stage: 'preflight' | 'restored' | 'rolled-back';
}

export async function restoreFlow(
  h: ModuleHarness,
  snapshot: string,
  opts: { ts: string; afterRestore?: () => Promise<void>; verifyTimeout?: number } = { ts: 'T' },
): Promise<FlowResult> {
  const etcd = h.groups.etcd ?? [];
  const masters = h.groups.kube_master ?? [];
  const first = etcd[0] as string;
  for (const host of etcd) await h.run('etcd_facts', host, {});
  const preflight = await h.run('etcd_preflight', first, { snapshot });
  if (preflight.failed) return { preflight, stage: 'preflight' };
  for (const svc of CONTROL_PLANE) await h.service(masters, svc, 'stop');
  const copies = await h.all('etcd_snapshot_copy', etcd, () => ({ snapshot }));
  for (const c of copies) if (c.failed) throw new Error(`copy failed: ${c.msg}`);
  // the leader last: stopped together, it stalls handing leadership to a member that is itself stopping
  const leader = (await h.run('etcd_status', first, {})).leader_host as string;
  await h.service(etcd.filter((x) => x !== leader), 'etcd', 'stop');
  if (leader) await h.service([leader], 'etcd', 'stop');
  const restores = await h.all('etcd_restore', etcd, () => ({ snapshot, ts: opts.ts }));
  for (const r of restores) if (r.failed) throw new Error(`restore failed: ${r.msg}`);
  if (opts.afterRestore) await opts.afterRestore();
  await Promise.all(etcd.map((host) => h.conn(host).exec('service etcd start')));
  const manifestRev = restores[0]?.snapshot_revision as number | undefined;
  const verify = await h.run('etcd_verify', first, { ...(manifestRev !== undefined ? { min_revision: manifestRev } : {}), timeout_s: opts.verifyTimeout ?? 30 });
  if (verify.failed) {
    await Promise.all(etcd.map((host) => h.conn(host).exec('service etcd stop')));
    const rollbacks = await h.all('etcd_rollback', etcd, () => ({ restart: false, ts: `${opts.ts}rb` }));
    await Promise.all(etcd.map((host) => h.conn(host).exec('service etcd start')));
    for (const svc of CONTROL_PLANE) await h.service(masters, svc, 'start');
    return { preflight, restores, verify, rollbacks, stage: 'rolled-back' };
  }
  for (const svc of CONTROL_PLANE) await h.service(masters, svc, 'start');
  return { preflight, restores, verify, stage: 'restored' };
}
