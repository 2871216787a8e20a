#!/usr/bin/env bash
# Lifeboat's test setup, idempotent. As root on Debian: installs what the lab needs (only when something is
# missing), makes sure the packages did not leave an etcd or sshd running in the root namespace, installs the
# npm dependencies (when node_modules is missing or older than the lockfile) and builds (warning only: src/
# may be mid-work). Usage: bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*"; }

PKGS=(etcd-server etcd-client openssh-server openssh-client iproute2 openssl util-linux procps gcc sudo
  tmux          # the terminal view (listr2) is checked on a real pseudo-terminal
  chromium      # the plan picture (--format html) is checked in a real headless Chromium
  ansible-core  # reference for the inventory parity tests and the Ansible comparison in bench/
  cron          # crontab(1) for the cron module's lab test (the daemon is not started: policy-rc.d below)
)
CMDS=(etcd etcdctl sshd ssh ip openssl unshare nsenter pgrep cc crontab)

missing_pkgs=()
# Installed means "install ok installed": a removed package keeps its conffiles and `dpkg -s` still succeeds.
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
for p in "${PKGS[@]}"; do
  installed "$p" || missing_pkgs+=("$p")
done
for c in "${CMDS[@]}"; do
  PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" command -v "$c" >/dev/null 2>&1 || {
    log "command $c is missing"
    # A command missing while its package looks installed: reinstall everything the lab needs.
    missing_pkgs=("${PKGS[@]}")
  }
done

if [ ${#missing_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing packages: ${missing_pkgs[*]} — run this script as root (the lab needs root anyway)"
    exit 1
  fi
  log "installing: ${missing_pkgs[*]}"
  # policy-rc.d 101: no service is started by the package install (the lab runs its own, in namespaces)
  policy=/usr/sbin/policy-rc.d
  created_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && created_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing_pkgs[@]}"
  [ -z "$created_policy" ] || rm -f "$policy"
else
  log "system packages present"
fi

# No etcd or sshd of the package may run in the root namespace: stop them by their pid files, never by name
# (lab hosts run etcd and sshd too, in the same PID namespace).
my_mnt=$(readlink /proc/self/ns/mnt)
for pidfile in /run/etcd.pid /var/run/etcd.pid /run/sshd.pid /var/run/sshd.pid; do
  [ -r "$pidfile" ] || continue
  pid=$(cat "$pidfile" 2>/dev/null || true)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || continue
  [ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" = "$my_mnt" ] || continue
  log "stopping $(tr '\0' ' ' < "/proc/$pid/cmdline" | cut -c1-60) (pid $pid, from $pidfile) in the root namespace"
  kill "$pid" 2>/dev/null || true
done
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  for unit in etcd ssh; do
    if systemctl is-active --quiet "$unit" 2>/dev/null; then
      log "stopping and disabling the $unit service of the root namespace"
      systemctl disable --now "$unit" >/dev/null 2>&1 || true
    fi
  done
fi

# npm dependencies
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
else
  log "node_modules up to date"
fi

# build, if there is a build script and src compiles; a tree mid-work only warns
if node -e 'process.exit(require("./package.json").scripts?.build ? 0 : 1)'; then
  if npm run -s build >/tmp/lifeboat-build.log 2>&1; then
    log "build ok"
  else
    log "WARNING: npm run build failed (src/ may be mid-work); see /tmp/lifeboat-build.log — continuing"
  fi
fi
# etcd 3.5 for the lab (Debian sid's packages into /var/cache/lifeboat/etcd; the machine's apt setup untouched).
# Cached: a second run does nothing. Without it the 3.5 lab tests skip and say why.
if npx --no-install tsx test/lab/cli.ts fetch-etcd 3.5 >/tmp/lifeboat-etcd35.log 2>&1; then
  log "$(tail -n 1 /tmp/lifeboat-etcd35.log)"
else
  log "WARNING: could not fetch etcd 3.5 (see /tmp/lifeboat-etcd35.log); its lab tests will skip"
fi
log "done"
