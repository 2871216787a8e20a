import type { Vars } from '../../inventory/types.js';
import { factsOf, hostVarsOf } from './cluster.js';
import { DEFAULT_MANIFESTS_DIR, DEFAULT_STASH_DIR } from './member-service.js';
import type { MemberView } from './observe.js';
import type { ClusterPlan, ClusterShape, EtcdFacts, MemberShape } from './types.js';

/**
 * The cluster's shape as a backup records it in the snapshot's manifest: every member as planned (name, URLs,
 * dirs, TLS files), how it runs, who owns its data, its etcd version and member ID; the token and cluster ID.
 * A restore falls back on it (per host, only while the host keeps its address) where a host can no longer say.
 */
export function runtimeOf(f: EtcdFacts | undefined): MemberShape['runtime'] {
  if (!f || f.source === 'none') return 'unknown';
  if (f.source === 'static-pod' || f.source_files.some((p) => /\/manifests[^/]*\/etcd\.yaml$/.test(p))) return 'static-pod';
  if (f.source === 'systemd-unit' || f.source === 'env-file') return 'service';
  return f.running ? 'process' : 'unknown';
}

export interface ShapeReads {
  /** What this member's etcd says: its member list (IDs) and cluster ID. */
  view?: MemberView;
  kubernetesVersion?: string;
  /** Hosts with an etcd.yaml in the kubelet's manifests directory (or its stash). */
  staticPods?: Set<string>;
}

export function buildShape(plan: ClusterPlan, vars: Vars, self: string, reads: ShapeReads = {}): ClusterShape {
  const { view, kubernetesVersion, staticPods } = reads;
  const ids = new Map((view?.members ?? []).map((m) => [m.name, m.id]));
  const members = plan.members.map((m): MemberShape => {
    const hv = hostVarsOf(vars, self, m.host);
    const f = factsOf(hv);
    const address = typeof hv.ansible_host === 'string' && hv.ansible_host.trim() ? hv.ansible_host.trim() : m.host;
    const id = ids.get(m.name);
    return {
      ...m,
      address,
      runtime: hv.etcd_runtime === 'service' || hv.etcd_runtime === 'static-pod' ? hv.etcd_runtime : staticPods?.has(m.host) ? 'static-pod' : runtimeOf(f),
      config_source: f?.source ?? 'none',
      config_files: f?.source_files ?? [],
      ...(f?.data_dir_owner ? { user: f.data_dir_owner } : {}),
      ...(f?.version ? { etcd_version: f.version } : {}),
      ...(id ? { member_id: id } : {}),
    };
  });
  return {
    token: plan.token,
    initial_cluster: plan.initial_cluster,
    ...(view?.cluster_id ? { cluster_id: view.cluster_id } : {}),
    ...(kubernetesVersion ? { kubernetes_version: kubernetesVersion } : {}),
    members,
  };
}

/** Prints `static-pod` where kubeadm's etcd manifest is (in place or stashed by Lifeboat). */
export const STATIC_POD_PROBE = `{ [ -f ${DEFAULT_MANIFESTS_DIR}/etcd.yaml ] || [ -f ${DEFAULT_STASH_DIR}/etcd.yaml ]; } && echo static-pod; true`;

/** Prints kube-apiserver's image tag from a kubeadm manifest (in place or stashed), if any. */
export const KUBE_VERSION_PROBE =
  "sed -n 's|.*image:.*kube-apiserver:\\(v[0-9][0-9.]*\\).*|\\1|p' /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests.lifeboat-stopped/kube-apiserver.yaml 2>/dev/null | head -1";
