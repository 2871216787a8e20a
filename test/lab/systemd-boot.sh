#!/bin/sh
# Second half of a systemd lab host's boot (host-boot.sh execs this once mounts and network are up). Makes
# every path systemd could write that is not already the host's own private or read-only, then boots systemd
# as PID 1 of its own PID and cgroup namespaces, and waits for it to reach lifeboat-lab.target.
# Environment: LAB_CGROUP (this host's cgroup name under the machine's hierarchies).
set -u
fail() { echo "LAB-BOOT-FAIL: $*"; exit 1; }
step() { "$@" || fail "$*"; }
t() { echo "boot: systemd: $*"; }

# A cgroup of its own in the hierarchies systemd uses (removed by the lab's teardown).
for h in systemd unified; do
  d=/sys/fs/cgroup/$h/$LAB_CGROUP
  step mkdir -p "$d"
  echo $$ > "$d/cgroup.procs" || fail "cannot join $d"
done

# A private /dev (as systemd-nspawn gives a container): the machine's device nodes are not for a host's udev.
step mount -t tmpfs -o mode=0755,nosuid lab-dev /dev
for n in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
  # shellcheck disable=SC2086
  set -- $n
  step mknod -m 0666 "/dev/$1" c "$2" "$3"
done
step mkdir -p /dev/pts /dev/shm
step mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 lab-devpts /dev/pts
step ln -s pts/ptmx /dev/ptmx
step mount -t tmpfs -o mode=1777,nosuid,nodev lab-shm /dev/shm
# /dev/console is the boot log (systemd's own messages land there)
: > /dev/console && mount --bind /run/lifeboat-lab-console /dev/console || fail "no /dev/console"
ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin; ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr

# Read-only everything that is the machine's: the root filesystem (so /usr, /opt, /home, /srv, the repo …) and
# sysfs. The host's own /etc, /var, /usr/local, /run, /tmp, /root … are separate mounts and stay writable.
step mount -o remount,bind,ro /
step mount -t sysfs -o ro,nosuid,nodev,noexec lab-sysfs /sys
t "private /dev, read-only / and /sys"

# systemd, in new PID + cgroup + mount namespaces; its cgroup view is this host's cgroup only.
unshare --pid --fork --cgroup --mount --propagation slave --mount-proc /bin/sh -c '
  mount -t tmpfs -o mode=0755,nosuid,nodev lab-cgroup /sys/fs/cgroup &&
  mkdir -p /sys/fs/cgroup/systemd /sys/fs/cgroup/unified &&
  mount -t cgroup -o none,name=systemd,nosuid,nodev,noexec cgroup /sys/fs/cgroup/systemd &&
  mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup/unified &&
  mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys || { echo "LAB-BOOT-FAIL: systemd mounts"; exit 1; }
  exec env -i container=lifeboat-lab PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    /lib/systemd/systemd --system --unit=lifeboat-lab.target --show-status=no
' &
wrap=$!
i=0
sd=
while [ -z "$sd" ]; do
  i=$((i + 1)); [ $i -le 500 ] || fail "systemd did not start"
  sd=$(cat "/proc/$wrap/task/$wrap/children" 2>/dev/null | awk '{print $1}')
  sleep 0.01
done
echo "LAB-SYSTEMD-PID: $sd"
i=0
until nsenter -t "$sd" -m test -S /run/systemd/private; do
  i=$((i + 1)); [ $i -le 3000 ] || fail "systemd did not open /run/systemd/private in 30 s"
  kill -0 "$wrap" 2>/dev/null || fail "systemd exited"
  sleep 0.01
done
# the socket exists a moment before systemd answers on it
i=0
until state=$(timeout 60 nsenter -t "$sd" -m -p systemctl is-system-running --wait 2>&1) || [ "$state" = degraded ]; do
  case "$state" in Failed*|*"not connected"*) ;; *) break ;; esac
  i=$((i + 1)); [ $i -le 300 ] || break
  sleep 0.1
done
t "is-system-running: $state"
case "$state" in
  running) ;;
  *) kill -0 "$sd" 2>/dev/null || echo "systemd (pid $sd) is gone"; grep State "/proc/$sd/status" 2>/dev/null
    nsenter -t "$sd" -m -p systemctl --failed --no-legend --no-pager 2>&1
    for u in $(nsenter -t "$sd" -m -p systemctl --failed --no-legend --plain 2>/dev/null | awk '{print $1}'); do
      nsenter -t "$sd" -m -p journalctl -u "$u" -n 15 --no-pager 2>&1; tail -n 5 "/var/log/${u%.service}.log" 2>/dev/null
    done; fail "systemd is $state" ;;
esac
i=0
until [ -s /run/sshd.pid ]; do
  i=$((i + 1)); [ $i -le 500 ] || fail "sshd did not write /run/sshd.pid"
  sleep 0.01
done
echo LAB-BOOT-OK
# lab-init waits for its first child: stay while systemd runs
wait "$wrap"
