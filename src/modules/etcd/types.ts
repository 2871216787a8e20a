/**
 * Shared shapes of the etcd modules. These are what `etcd_facts` stores as `etcd_facts` and what the other
 * etcd modules read back (from a host's facts, through `hostvars`).
 */

/** TLS files (paths on the node) used to talk to etcd's client port. */
export interface EtcdTls {
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
}

/** The effective configuration of one etcd member, as discovered (or as the inventory sets it). */
export interface EtcdConfig {
  name?: string;
  data_dir?: string;
  wal_dir?: string;
  listen_client_urls: string[];
  advertise_client_urls: string[];
  listen_peer_urls: string[];
  initial_advertise_peer_urls: string[];
  initial_cluster?: string;
  initial_cluster_token?: string;
  initial_cluster_state?: string;
  client_tls: EtcdTls;
  peer_tls: EtcdTls;
}

/** Where the configuration was read from. */
export type ConfigSource = 'process' | 'config-file' | 'systemd-unit' | 'env-file' | 'static-pod' | 'none';

export interface ToolInfo {
  path: string;
  version: string;
}

/** `ansible_facts.etcd_facts`. */
export interface EtcdFacts {
  config: EtcdConfig;
  source: ConfigSource;
  /** Files the configuration came from (process: `/proc/<pid>/cmdline`). */
  source_files: string[];
  running: boolean;
  pid?: number;
  /** etcd server version (from the running binary, else `etcd --version`). */
  version?: string;
  etcd?: ToolInfo;
  etcdctl?: ToolInfo;
  etcdutl?: ToolInfo;
  /** Does the data dir exist, and is it a mount point? */
  data_dir_exists: boolean;
  data_dir_mountpoint: boolean;
  /** User owning the data dir (restored data is given back to it). */
  data_dir_owner?: string;
  warnings: string[];
}

/** One member of the cluster as planned: the single source of truth for every node's restore flags. */
export interface PlannedMember {
  /** Inventory host name. */
  host: string;
  name: string;
  peer_url: string;
  client_url: string;
  data_dir: string;
  wal_dir?: string;
  tls: EtcdTls;
}

/** Where a planned value came from, first of: inventory → the host (running etcd, unit, env file, manifest) → the snapshot's recorded shape → default. */
export type ValueSource =
  | { from: 'inventory'; variable: string }
  | { from: 'discovered'; source: ConfigSource; files: string[] }
  | { from: 'member-list'; host: string }
  | { from: 'snapshot'; file: string }
  | { from: 'default' };

export type PlannedField = 'name' | 'peer_url' | 'client_url' | 'data_dir' | 'wal_dir' | 'tls';

export interface ClusterPlan {
  members: PlannedMember[];
  /** `name1=peer1,name2=peer2,...` — identical on every node. */
  initial_cluster: string;
  token: string;
  /** Why a value was chosen (inventory, discovered, default), for the plan preview. */
  notes: string[];
  /** Per host, where each planned value came from. */
  sources: Record<string, Partial<Record<PlannedField, ValueSource>>>;
  token_source: ValueSource;
}

/** One member as a backup recorded it: enough to restore it when its host can no longer describe it. */
export interface MemberShape extends PlannedMember {
  /** The host's address (ansible_host) when the backup was taken: the shape is applied only to the same address. */
  address: string;
  /** How it ran: systemd unit / init script (service), kubeadm static pod, or a process only. */
  runtime: 'service' | 'static-pod' | 'process' | 'unknown';
  config_source: ConfigSource;
  config_files: string[];
  /** Owner of its data dir. */
  user?: string;
  etcd_version?: string;
  member_id?: string;
}

/** The cluster's shape at the time of a snapshot (recorded in its manifest). */
export interface ClusterShape {
  token: string;
  initial_cluster: string;
  cluster_id?: string;
  /** From the kube-apiserver manifest's image tag, where there is one. */
  kubernetes_version?: string;
  members: MemberShape[];
}

/** How a snapshot is stored on the controller when compressed and/or encrypted (snapshot-codec.ts). */
export interface StoredForm {
  /** The stored file's name (beside the manifest). */
  file: string;
  size: number;
  sha256: string;
  compression?: 'gzip';
  encryption?: { cipher: 'aes-256-gcm'; key_fingerprint: string };
}

/** What the snapshot manifest (JSON next to the `.db` on the controller) holds. */
export interface SnapshotManifest {
  file: string;
  cluster: string;
  member: string;
  host: string;
  etcd_version?: string;
  revision: number;
  total_keys: number;
  total_size: number;
  hash: number;
  sha256: string;
  time: string;
  /** Every member's name, URLs, dirs, TLS files, how it runs; token and IDs (absent in manifests of older Lifeboat). */
  shape?: ClusterShape;
  /** Key count and hashkv at the snapshot's revision, read on the source member (what a restore drill compares). */
  kv?: { revision: number; kv_keys: number; hashkv: number };
  /** Present when the snapshot is stored compressed and/or encrypted: `sha256` above is of the plain snapshot. */
  stored?: StoredForm;
}
