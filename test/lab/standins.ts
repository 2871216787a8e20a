/**
 * Stand-ins for the control plane on master hosts, installed as /usr/local/bin/kube-* (as a binary install
 * has them). kube-apiserver renews its master lease in etcd (/registry/masterleases/<address>) every 0.5 s
 * with etcdctl over TLS, so "stop every apiserver before the restore" is observable, and appends a line to
 * /var/log/kube-apiserver.backwards whenever etcd's revision goes down under it; the controller-manager
 * and scheduler idle. On SIGTERM each stops its in-flight child first: no write lands after `service … stop`.
 */
import { HOST_PKI, type ServiceDef } from './services.js';

export const APISERVER_SCRIPT = `#!/bin/sh
# kube-apiserver — Lifeboat lab stand-in: writes /registry/masterleases/<advertise-address> every 0.5 s.
servers= cafile= certfile= keyfile= addr=
for a in "$@"; do
  case "$a" in
    --etcd-servers=*) servers=\${a#*=} ;;
    --etcd-cafile=*) cafile=\${a#*=} ;;
    --etcd-certfile=*) certfile=\${a#*=} ;;
    --etcd-keyfile=*) keyfile=\${a#*=} ;;
    --advertise-address=*) addr=\${a#*=} ;;
  esac
done
tls=
[ -n "$cafile" ] && tls="--cacert=$cafile --cert=$certfile --key=$keyfile"
child=
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; wait; echo "$(date -u +%FT%TZ) stopped"; exit 0' TERM INT
echo "$(date -u +%FT%TZ) kube-apiserver (lab stand-in) writing /registry/masterleases/$addr via $servers"
n=0
state=
last=
BACKWARDS=\${LAB_BACKWARDS_LOG:-/var/log/kube-apiserver.backwards}
while :; do
  n=$((n + 1))
  # shellcheck disable=SC2086
  etcdctl --endpoints="$servers" $tls --dial-timeout=1s --command-timeout=2s \\
    put -w json "/registry/masterleases/$addr" "{\\"ip\\":\\"$addr\\",\\"renewal\\":$n}" >/tmp/.apiserver-put 2>&1 &
  child=$!
  if wait "$child"; then
    [ "$state" = ok ] || echo "$(date -u +%FT%TZ) etcd writes ok (renewal $n)"
    state=ok
    # a real apiserver's watch cache breaks when etcd's revision goes back under it (a restore it was not
    # stopped for, without --bump-revision): record every time it does
    rev=$(sed -n 's/.*"revision":\\([0-9]*\\).*/\\1/p' /tmp/.apiserver-put)
    if [ -n "$rev" ] && [ -n "$last" ] && [ "$rev" -lt "$last" ]; then
      echo "$(date -u +%FT%TZ) ETCD WENT BACKWARDS: revision $rev after $last" | tee -a "$BACKWARDS"
    fi
    [ -n "$rev" ] && last=$rev
  else
    [ "$state" = failed ] || echo "$(date -u +%FT%TZ) etcd write failed (renewal $n): $(cat /tmp/.apiserver-put)"
    state=failed
  fi
  sleep 0.5 &
  child=$!
  wait "$child"
done
`;

export const IDLE_SCRIPT = `#!/bin/sh
# Lifeboat lab stand-in for a control-plane component: idles, logging a heartbeat every 10 s.
child=
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM INT
echo "$(date -u +%FT%TZ) $0 (lab stand-in) started: $*"
while :; do
  sleep 10 &
  child=$!
  wait "$child"
  echo "$(date -u +%FT%TZ) alive"
done
`;

export function apiserverService(address: string, etcdServers: string[], tls: boolean): ServiceDef {
  const args = [`--advertise-address=${address}`, `--etcd-servers=${etcdServers.join(',')}`];
  if (tls) {
    args.push(
      `--etcd-cafile=${HOST_PKI}/ca.crt`,
      '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
      '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
    );
  }
  return {
    name: 'kube-apiserver',
    daemon: '/usr/local/bin/kube-apiserver',
    user: 'root',
    description: 'Kubernetes API server (Lifeboat lab stand-in)',
    args,
  };
}

export function idleService(name: 'kube-controller-manager' | 'kube-scheduler'): ServiceDef {
  const conf = name === 'kube-scheduler' ? 'scheduler.conf' : 'controller-manager.conf';
  return {
    name,
    daemon: `/usr/local/bin/${name}`,
    user: 'root',
    description: `${name} (Lifeboat lab stand-in)`,
    args: [`--kubeconfig=/etc/kubernetes/${conf}`, '--leader-elect=true'],
  };
}
