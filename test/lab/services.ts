/**
 * What runs on a lab host as a service: etcd and the control-plane stand-ins. Each has a SysV init script
 * (/etc/init.d/NAME, which Debian's `service` runs when systemd is not PID 1), a defaults file
 * (/etc/default/NAME with DAEMON_ARGS, as a binary install has) and a pid file in the host's own /run.
 * Services are found by pid file — checked to be in this host's mount namespace — never by process name:
 * every lab host shares one PID namespace.
 */

export interface ServiceDef {
  name: string;
  daemon: string;
  /** User the daemon runs as (start-stop-daemon --chuid). */
  user: string;
  description: string;
  /** The lines of DAEMON_ARGS, one flag each. */
  args: string[];
}

/** The host-side paths every service and test relies on (documented in test/lab/README.md). */
export const HOST_PKI = '/etc/kubernetes/pki/etcd';
export const HOST_DATA_DIR = '/var/lib/etcd';

export function defaultsFile(s: ServiceDef): string {
  return [
    `# /etc/default/${s.name} — read by /etc/init.d/${s.name} (Lifeboat lab). Change, then \`service ${s.name} restart\`.`,
    `DAEMON_ARGS="${s.args.join(' \\\n  ')}"`,
    '',
  ].join('\n');
}

export function initScript(s: ServiceDef): string {
  return `#!/bin/sh
### BEGIN INIT INFO
# Provides:          ${s.name}
# Required-Start:    $network $remote_fs
# Required-Stop:     $network $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: ${s.description}
### END INIT INFO
# Lifeboat lab: controls ${s.name} through its pid file in this host's own /run.
NAME=${s.name}
DAEMON=${s.daemon}
RUN_AS=${s.user}
PIDFILE=/run/$NAME.pid
LOGFILE=/var/log/$NAME.log
DAEMON_ARGS=
[ -r /etc/default/$NAME ] && . /etc/default/$NAME
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

# running: the pid file names a live process of this host (same mount namespace) that runs $DAEMON.
running() {
  # (the process may vanish at any moment: every read is quiet)
  pid=
  { read -r pid < "$PIDFILE"; } 2>/dev/null
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" = "$(readlink /proc/self/ns/mnt)" ] || return 1
  { tr '\\0' '\\n' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qxF -- "$DAEMON"
}

do_start() {
  if running; then echo "$NAME is already running (pid $pid)"; return 0; fi
  rm -f "$PIDFILE"
  touch "$LOGFILE" && chown "$RUN_AS" "$LOGFILE"
  # shellcheck disable=SC2086
  start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$PIDFILE" \\
    --chuid "$RUN_AS" --chdir / --output "$LOGFILE" --startas "$DAEMON" -- $DAEMON_ARGS || return 1
  # a daemon that dies at once (bad flags, a data dir it cannot use) is a failed start
  sleep 0.15
  if running; then echo "Started $NAME (pid $pid)"; return 0; fi
  echo "$NAME failed to start; the end of $LOGFILE:" >&2
  tail -n 15 "$LOGFILE" >&2
  rm -f "$PIDFILE"
  return 1
}

do_stop() {
  if ! running; then echo "$NAME is not running"; rm -f "$PIDFILE"; return 0; fi
  kill -TERM "$pid" 2>/dev/null
  i=0
  while running; do
    i=$((i + 1))
    if [ $i -eq 400 ]; then echo "$NAME did not stop in 20 s: SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null; fi
    if [ $i -ge 600 ]; then echo "$NAME (pid $pid) does not stop" >&2; return 1; fi
    sleep 0.05
  done
  rm -f "$PIDFILE"
  echo "Stopped $NAME"
}

case "$1" in
  start) do_start ;;
  stop) do_stop ;;
  restart|force-reload) do_stop && do_start ;;
  status)
    if running; then echo "$NAME is running (pid $pid)"; exit 0; fi
    echo "$NAME is not running"; exit 3 ;;
  *) echo "Usage: service $NAME {start|stop|status|restart}" >&2; exit 2 ;;
esac
`;
}

export interface EtcdMemberConf {
  etcdName: string;
  address: string;
  peerUrl: string;
  clientUrl: string;
  initialCluster: string;
  token: string;
  tls: boolean;
  user: string;
}

export function etcdService(c: EtcdMemberConf): ServiceDef {
  const scheme = c.tls ? 'https' : 'http';
  const args = [
    `--name=${c.etcdName}`,
    `--data-dir=${HOST_DATA_DIR}`,
    `--listen-client-urls=${c.clientUrl},${scheme}://127.0.0.1:2379`,
    `--advertise-client-urls=${c.clientUrl}`,
    `--listen-peer-urls=${c.peerUrl}`,
    `--initial-advertise-peer-urls=${c.peerUrl}`,
    `--initial-cluster=${c.initialCluster}`,
    `--initial-cluster-token=${c.token}`,
    '--initial-cluster-state=new',
    '--logger=zap',
    '--log-outputs=stderr',
  ];
  if (c.tls) {
    args.push(
      '--client-cert-auth',
      `--trusted-ca-file=${HOST_PKI}/ca.crt`,
      `--cert-file=${HOST_PKI}/server.crt`,
      `--key-file=${HOST_PKI}/server.key`,
      '--peer-client-cert-auth',
      `--peer-trusted-ca-file=${HOST_PKI}/ca.crt`,
      `--peer-cert-file=${HOST_PKI}/peer.crt`,
      `--peer-key-file=${HOST_PKI}/peer.key`,
    );
  }
  return { name: 'etcd', daemon: '/usr/bin/etcd', user: c.user, description: 'etcd key-value store', args };
}
