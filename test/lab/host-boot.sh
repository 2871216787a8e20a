#!/bin/sh
# Boot of one Lifeboat lab host. Runs as the first child of lab-init, already inside the host's own network,
# UTS and mount namespaces (unshare --net --uts --mount --propagation private). Environment:
#   LAB_HOSTNAME, LAB_ADDR; argument: the controller-side dir of this host (prepared by hostfiles.ts).
# Prints LAB-BOOT-OK at the end, or LAB-BOOT-FAIL: <why>; the controller waits for one of them.
set -u
H=$1
fail() { echo "LAB-BOOT-FAIL: $*"; exit 1; }
step() { "$@" || fail "$*"; }

# t WHAT: how long the boot has taken so far, in the boot log (test/lab/README.md: "slow start")
T0=$(date +%s%N)
t() { echo "boot: $(( ($(date +%s%N) - T0) / 1000000 )) ms $*"; }
step hostname "$LAB_HOSTNAME"
read -r SERVICES < "$H/fs/services" || SERVICES=
INIT=sysv
[ -r "$H/fs/init" ] && read -r INIT < "$H/fs/init"

# Own filesystem view: copy-on-write /etc, /var, /usr/local; own directories for the paths that matter.
# /usr too when the lab runs an etcd other than the machine's: its release dir is a lower layer over /usr.
USR_LOWER=
[ -r "$H/fs/usr-lower" ] && read -r USR_LOWER < "$H/fs/usr-lower"
if [ -n "$USR_LOWER" ]; then
  step mount -t overlay lab-usr -o "lowerdir=$USR_LOWER:/usr,upperdir=$H/fs/usr.upper,workdir=$H/fs/usr.work" /usr
fi
OPT_LOWER=
[ -r "$H/fs/opt-lower" ] && read -r OPT_LOWER < "$H/fs/opt-lower"
if [ -n "$OPT_LOWER" ]; then # binary topology: /opt/kube/bin
  step mount -t overlay lab-opt -o "lowerdir=$OPT_LOWER:/opt,upperdir=$H/fs/opt.upper,workdir=$H/fs/opt.work" /opt
fi
# /opt copy-on-write too (outside the binary topology, which layered it above): a test writing there must not
# write to the machine's /opt (seen: a module test left /opt/lb* on the machine).
COW="etc var usr/local"
[ -n "$OPT_LOWER" ] || COW="$COW opt"
for d in $COW; do
  u=$(echo "$d" | tr -d /) # usr/local -> usrlocal
  step mount -t overlay "lab-$u" -o "lowerdir=/$d,upperdir=$H/fs/$u.upper,workdir=$H/fs/$u.work" "/$d"
done
step mkdir -p /etc/etcd /etc/kubernetes /var/lib/etcd /var/log
step mount --bind "$H/fs/var-lib-etcd" /var/lib/etcd
step mount --bind "$H/fs/etc-etcd" /etc/etcd
step mount --bind "$H/fs/etc-kubernetes" /etc/kubernetes
step mount --bind "$H/fs/var-log" /var/log
step mount --bind "$H/fs/run" /run
step mount --bind "$H/fs/root" /root
if [ "$INIT" = systemd ]; then # the boot log stays reachable as systemd's console
  step touch /run/lifeboat-lab-console
  step mount --bind "$H/boot.log" /run/lifeboat-lab-console
fi
step mount --bind "$H/fs/tmp" /tmp # last: $H lives under /tmp and is hidden from here on
t "mounts done"
mkdir -p /run/sshd /run/lock && chmod 0755 /run/sshd

# Network: the controller moves our end of a veth pair in as eth0.
i=0
until ip link show eth0 >/dev/null 2>&1; do
  i=$((i + 1))
  [ $i -le 1000 ] || fail "eth0 did not appear in 10 s"
  sleep 0.01
done
t "eth0 present"
step ip link set lo up
step ip addr add "$LAB_ADDR/24" dev eth0
step ip link set eth0 up

t "network up"
# systemd hosts: systemd starts sshd and the services (systemd-boot.sh, beside this script)
[ "$INIT" = systemd ] && exec /bin/sh "$(dirname "$0")/systemd-boot.sh"
step /usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log
i=0
until [ -s /run/sshd.pid ]; do
  i=$((i + 1))
  [ $i -le 500 ] || fail "sshd did not write /run/sshd.pid in 5 s: $(tail -n 5 /var/log/sshd.log)"
  sleep 0.01
done

t "sshd listening"
# Services start side by side (the apiserver stand-in retries until etcd has a leader).
pids=
for s in $SERVICES; do
  (out=$(service "$s" start 2>&1) || fail "service $s start: $out"; echo "$out") &
  pids="$pids $!"
done
ok=yes
for p in $pids; do wait "$p" || ok=; done
[ -n "$ok" ] || exit 1
t "services started"
echo LAB-BOOT-OK
