import { shellJoin, shellQuote } from '../../connection/quote.js';

/**
 * The read-only shell probes of `etcd_facts`, and the parser of their output. Output is a list of records
 * `@@LB <kind> <arg>` followed by base64 content on the next line, so file contents cannot confuse the parser.
 */

export const DEFAULT_PID_FILES = ['/run/etcd.pid', '/run/etcd/etcd.pid', '/var/run/etcd.pid', '/var/run/etcd/etcd.pid'];

export const DEFAULT_CONFIG_FILES = [
  '/etc/kubernetes/manifests/etcd.yaml',
  // where etcd_service keeps a stopped static pod's manifest (an interrupted restore leaves it there)
  '/etc/kubernetes/manifests.lifeboat-stopped/etcd.yaml',
  '/etc/systemd/system/etcd.service',
  '/lib/systemd/system/etcd.service',
  '/usr/lib/systemd/system/etcd.service',
  '/etc/default/etcd',
  '/etc/etcd/etcd.conf',
  '/etc/etcd/etcd.conf.yml',
  '/etc/etcd/etcd.conf.yaml',
];

export const EXTRA_PATH = '/usr/local/bin:/opt/etcd/bin:/opt/kube/bin:/usr/local/sbin:/usr/sbin:/sbin';

/**
 * Probe 1: etcd processes in this host's network namespace (pid files first, then every process named etcd:
 * all hosts may share one PID namespace, so a process counts only if its network namespace is ours),
 * their command line and ETCD_* environment, the config files that exist, and the tools with versions.
 */
export function probeScript(pidFiles: string[], configFiles: string[], binDirs: string[]): string {
  const path = [...binDirs, EXTRA_PATH].join(':');
  return `PATH="$PATH":${shellQuote(path)}
emit() { printf '@@LB %s %s\\n' "$1" "$2"; printf '%s' "$3" | base64 -w0; printf '\\n'; }
self=$(readlink /proc/$$/ns/net)
selfmnt=$(readlink /proc/$$/ns/mnt)
exev=; exep=
cands=""
for f in ${shellJoin(pidFiles)}; do
  [ -r "$f" ] || continue
  p=$(tr -dc 0-9 < "$f")
  [ -n "$p" ] && cands="$cands pidfile:$p"
done
for c in $(grep -lx etcd /proc/[0-9]*/comm 2>/dev/null); do p=\${c#/proc/}; cands="$cands comm:\${p%/comm}"; done
for c in $cands; do
  p=\${c#*:}
  [ -r /proc/$p/cmdline ] || continue
  [ "$(readlink /proc/$p/ns/net 2>/dev/null)" = "$self" ] || continue
  mnt=other; [ "$(readlink /proc/$p/ns/mnt 2>/dev/null)" = "$selfmnt" ] && mnt=same
  emit proc "$c:$mnt" "$(tr '\\0' '\\n' < /proc/$p/cmdline)"
  emit environ "$p" "$(tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | grep '^ETCD_')"
  exev=$(/proc/$p/exe --version 2>/dev/null | head -1); exep=/proc/$p/exe
  emit exeversion "$p" "$exev"
done
[ -d /run/systemd/system ] && emit init systemd ""
for f in ${shellJoin(configFiles)}; do [ -r "$f" ] && emit file "$f" "$(cat "$f")"; done
for t in etcd etcdctl etcdutl; do
  p=$(command -v "$t" 2>/dev/null) || continue
  # the etcd on PATH is often the running one's binary: its version is already known (one Go start less)
  case $t in
    etcd) if [ -n "$exev" ] && [ "$p" -ef "$exep" ]; then v=$exev; else v=$("$p" --version 2>/dev/null | head -1); fi;;
    *) v=$(ETCDCTL_API=3 "$p" version 2>/dev/null | head -1);;
  esac
  emit tool "$t" "$p
$v"
done
true
`;
}

/** Probe 2: extra files (a `--config-file`, a unit's EnvironmentFile) and the data dir's state. */
export function probe2Script(files: string[], dataDir: string | undefined): string {
  const lines = ['emit() { printf \'@@LB %s %s\\n\' "$1" "$2"; printf \'%s\' "$3" | base64 -w0; printf \'\\n\'; }'];
  if (files.length) lines.push(`for f in ${shellJoin(files)}; do [ -r "$f" ] && emit file "$f" "$(cat "$f")"; done`);
  if (dataDir) {
    const d = shellQuote(dataDir);
    lines.push(
      `if [ -d ${d} ]; then emit datadir exists "$(stat -c %U ${d})"; fi`,
      `if mountpoint -q ${d} 2>/dev/null; then emit datadir mountpoint yes; fi`,
    );
  }
  lines.push('true');
  return lines.join('\n');
}

export interface ProbeRecord {
  kind: string;
  arg: string;
  content: string;
}

export function parseProbe(out: string): ProbeRecord[] {
  const recs: ProbeRecord[] = [];
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^@@LB (\S+) ?(.*)$/.exec(lines[i] as string);
    if (!m) continue;
    const content = Buffer.from(lines[i + 1] ?? '', 'base64').toString('utf8');
    recs.push({ kind: m[1] as string, arg: m[2] as string, content });
    i++;
  }
  return recs;
}
