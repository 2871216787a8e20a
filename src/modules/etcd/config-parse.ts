import { parse as parseYaml } from 'yaml';
import type { EtcdConfig } from './types.js';

/**
 * Pure parsers that turn the places etcd's configuration lives in (a process command line, ETCD_* environment
 * variables, a `--config-file` YAML, a systemd unit, /etc/default/etcd, a kubeadm static-pod manifest) into one
 * flag map, and the flag map into an EtcdConfig.
 */

export type FlagMap = Record<string, string>;

/** `--k=v`, `--k v`, `-k v`; a flag followed by another flag (or nothing) is boolean "true". */
export function parseArgv(argv: readonly string[]): FlagMap {
  const out: FlagMap = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-')) continue;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) {
      out[body.slice(0, eq)] = body.slice(eq + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      out[body] = next;
      i++;
    } else out[body] = 'true';
  }
  return out;
}

/** `ETCD_INITIAL_CLUSTER_TOKEN=x` → `initial-cluster-token: x` (only ETCD_* names, not ETCDCTL_*). */
export function envToFlags(env: Record<string, string>): FlagMap {
  const out: FlagMap = {};
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith('ETCD_') || k.startsWith('ETCDCTL_')) continue;
    out[k.slice(5).toLowerCase().replace(/_/g, '-')] = v;
  }
  return out;
}

/** Splits a shell command line into words (quotes, backslashes; no expansions). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let q: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (q === "'") {
      if (c === "'") q = undefined;
      else cur += c;
    } else if (q === '"') {
      if (c === '"') q = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** KEY=VALUE lines (optional `export`, quotes, comments) of an environment file such as /etc/default/etcd. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.replace(/\\\r?\n/g, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    const words = shellWords(m[2] as string);
    out[m[1] as string] = words.join(' ');
  }
  return out;
}

/** Flags from an environment file: ETCD_* variables, plus flags inside DAEMON_ARGS / ETCD_OPTS / ETCD_ARGS. */
export function flagsFromEnvFile(text: string): FlagMap {
  const env = parseEnvFile(text);
  const fromArgs: FlagMap = {};
  for (const k of ['DAEMON_ARGS', 'ETCD_OPTS', 'ETCD_ARGS']) {
    const v = env[k];
    if (v) Object.assign(fromArgs, parseArgv(shellWords(v)));
    delete env[k];
  }
  return { ...envToFlags(env), ...fromArgs };
}

const TLS_KEYS: Array<[string, string]> = [
  ['trusted-ca-file', 'trusted-ca-file'],
  ['cert-file', 'cert-file'],
  ['key-file', 'key-file'],
];

/** An etcd `--config-file` (YAML, flag names as keys; TLS under client-/peer-transport-security). */
export function flagsFromConfigYaml(text: string): FlagMap {
  const doc = parseYaml(text) as Record<string, unknown> | null;
  const out: FlagMap = {};
  if (!doc || typeof doc !== 'object') return out;
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  for (const [section, prefix] of [
    ['client-transport-security', ''],
    ['peer-transport-security', 'peer-'],
  ] as const) {
    const sec = doc[section];
    if (!sec || typeof sec !== 'object') continue;
    for (const [yk, flag] of TLS_KEYS) {
      const v = (sec as Record<string, unknown>)[yk];
      if (typeof v === 'string' && v) out[`${prefix}${flag}`] = v;
    }
  }
  return out;
}

/**
 * A systemd unit: Environment= pairs, EnvironmentFile= paths (`%p`/`%N` → the unit's name) and ExecStart's words.
 * Use unitFlags() once the environment files are read: ExecStart's `$VAR` / `${VAR}` expand from them.
 */
export function parseSystemdUnit(text: string, unitName = 'etcd'): { env: Record<string, string>; envFiles: string[]; exec: string[] } {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const env: Record<string, string> = {};
  const envFiles: string[] = [];
  let exec: string[] = [];
  const spec = (v: string) => v.replace(/%[pN]/g, unitName);
  for (const raw of joined.split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^(ExecStart|Environment|EnvironmentFile)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2] as string;
    if (m[1] === 'ExecStart' && value) exec = shellWords(value.replace(/^[-@:+!]+/, ''));
    else if (m[1] === 'Environment') {
      for (const w of shellWords(value)) {
        const eq = w.indexOf('=');
        if (eq > 0) env[w.slice(0, eq)] = w.slice(eq + 1);
      }
    } else if (m[1] === 'EnvironmentFile') envFiles.push(spec(value.replace(/^-/, '')));
  }
  return { env, envFiles, exec };
}

/** Flags of a unit: Environment=, then its environment files (which win), then ExecStart with `$VAR` expanded. */
export function unitFlags(unit: ReturnType<typeof parseSystemdUnit>, envFileTexts: string[]): FlagMap {
  const env: Record<string, string> = { ...unit.env };
  for (const t of envFileTexts) Object.assign(env, parseEnvFile(t));
  const words: string[] = [];
  for (const w of unit.exec.slice(1)) {
    const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(w);
    if (whole) words.push(...shellWords(env[whole[1] as string] ?? ''));
    else words.push(w.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, k: string) => env[k] ?? ''));
  }
  const envFlags = envToFlags(Object.fromEntries(Object.entries(env).filter(([k]) => !['DAEMON_ARGS', 'ETCD_OPTS', 'ETCD_ARGS'].includes(k))));
  return { ...envFlags, ...parseArgv(words) };
}

/** A kubeadm static-pod manifest: the etcd container's command + args. */
export function flagsFromStaticPod(text: string): FlagMap {
  const doc = parseYaml(text) as { spec?: { containers?: Array<{ name?: string; command?: unknown; args?: unknown }> } };
  const containers = doc?.spec?.containers ?? [];
  const c = containers.find((x) => x.name === 'etcd') ?? containers[0];
  if (!c) return {};
  const argv = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].map(String);
  return parseArgv(argv);
}

function urls(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function opt(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** The configuration an etcd with these flags runs with (etcd's defaults where a flag is absent). */
export function configFromFlags(f: FlagMap): EtcdConfig {
  const name = opt(f.name) ?? 'default';
  return {
    name,
    data_dir: opt(f['data-dir']) ?? `${name}.etcd`,
    ...(opt(f['wal-dir']) ? { wal_dir: f['wal-dir'] as string } : {}),
    listen_client_urls: urls(f['listen-client-urls'] ?? 'http://localhost:2379'),
    advertise_client_urls: urls(f['advertise-client-urls'] ?? 'http://localhost:2379'),
    listen_peer_urls: urls(f['listen-peer-urls'] ?? 'http://localhost:2380'),
    initial_advertise_peer_urls: urls(f['initial-advertise-peer-urls'] ?? 'http://localhost:2380'),
    ...(opt(f['initial-cluster']) ? { initial_cluster: f['initial-cluster'] as string } : {}),
    initial_cluster_token: opt(f['initial-cluster-token']) ?? 'etcd-cluster',
    initial_cluster_state: opt(f['initial-cluster-state']) ?? 'new',
    client_tls: tls(f, ''),
    peer_tls: tls(f, 'peer-'),
  };
}

function tls(f: FlagMap, prefix: string): EtcdConfig['client_tls'] {
  const out: EtcdConfig['client_tls'] = {};
  const ca = opt(f[`${prefix}trusted-ca-file`]);
  const cert = opt(f[`${prefix}cert-file`]);
  const key = opt(f[`${prefix}key-file`]);
  if (ca) out.ca_file = ca;
  if (cert) out.cert_file = cert;
  if (key) out.key_file = key;
  return out;
}

/** Parses `name1=url1,name2=url2` (a name may have several peer URLs). */
export function parseInitialCluster(s: string): Array<{ name: string; url: string }> {
  return urls(s).map((pair) => {
    const eq = pair.indexOf('=');
    return { name: pair.slice(0, eq), url: pair.slice(eq + 1) };
  });
}
