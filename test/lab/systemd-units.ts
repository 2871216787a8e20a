/**
 * What a systemd lab host's /etc/systemd/system holds: the target it boots (sshd + the lab's services, nothing
 * of the machine's own multi-user.target), the masks that keep systemd off everything that would act on the
 * machine (tmpfiles would empty /tmp, udev would trigger the machine's devices, sysctl, time sync, the
 * packages' own etcd/postgresql…), and the stand-ins' units. See test/lab/README.md, "systemd hosts".
 */
import type { ServiceDef } from './services.js';

export const LAB_TARGET = 'lifeboat-lab.target';

/** Units masked (→ /dev/null) on every systemd host: each would touch the machine or fail in a namespace. */
export const MASKED_UNITS = [
  'systemd-tmpfiles-setup.service', 'systemd-tmpfiles-setup-dev.service', 'systemd-tmpfiles-clean.service',
  'systemd-tmpfiles-clean.timer', 'tmp.mount', 'systemd-udevd.service', 'systemd-udev-trigger.service',
  'systemd-udevd-control.socket', 'systemd-udevd-kernel.socket', 'systemd-udev-settle.service',
  'systemd-timesyncd.service', 'systemd-pstore.service', 'systemd-sysctl.service', 'systemd-modules-load.service',
  'systemd-binfmt.service', 'proc-sys-fs-binfmt_misc.automount', 'proc-sys-fs-binfmt_misc.mount',
  'systemd-remount-fs.service', 'systemd-firstboot.service', 'systemd-machine-id-commit.service',
  'systemd-repart.service', 'systemd-pcrphase.service', 'systemd-pcrphase-sysinit.service',
  'systemd-random-seed.service', 'kmod-static-nodes.service', 'dev-hugepages.mount', 'dev-mqueue.mount',
  'sys-kernel-config.mount', 'sys-kernel-debug.mount', 'sys-kernel-tracing.mount', 'sys-fs-fuse-connections.mount',
  'systemd-hwdb-update.service', 'ldconfig.service', 'systemd-sysusers.service', 'systemd-journal-catalog-update.service',
  'systemd-update-done.service', 'systemd-ask-password-console.path', 'systemd-ask-password-wall.path',
  'systemd-journald-audit.socket', 'getty.target', 'getty@tty1.service', 'console-getty.service',
  'e2scrub_reap.service', 'e2scrub_all.timer', 'apt-daily.timer', 'apt-daily-upgrade.timer', 'dpkg-db-backup.timer',
  'fstrim.timer', 'man-db.timer', 'postgresql.service', 'networking.service', 'systemd-networkd.service',
  'systemd-resolved.service', 'systemd-logind.service', 'dbus.socket', 'dbus.service', 'systemd-initctl.socket',
  'cron.service', 'rsyslog.service', 'remote-fs.target',
] as const;

export function targetUnit(services: string[]): string {
  const wants = ['ssh.service', ...services.map((s) => `${s}.service`)].join(' ');
  return `# The target a Lifeboat lab host boots (systemd --unit=${LAB_TARGET}): sshd and the lab's services only.
[Unit]
Description=Lifeboat lab host
Requires=basic.target
Wants=${wants}
After=basic.target ${wants}
AllowIsolate=yes
`;
}

/** A unit for a lab service (stand-ins, binary-install etcd): ExecStart with its defaults file, as a binary install. */
export function serviceUnit(s: ServiceDef, o: { type?: 'simple' | 'notify'; restart?: 'always' | 'on-failure' } = {}): string {
  return `# ${s.name} — Lifeboat lab. Flags in /etc/default/${s.name} (DAEMON_ARGS); systemctl daemon-reload after editing this file.
[Unit]
Description=${s.description}
After=network.target

[Service]
Type=${o.type ?? 'simple'}
User=${s.user}
EnvironmentFile=-/etc/default/${s.name}
ExecStart=${s.daemon} $DAEMON_ARGS
Restart=${o.restart ?? 'always'}
RestartSec=1
StandardOutput=append:/var/log/${s.name}.log
StandardError=inherit
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
}

/** Drop-in for Debian's own etcd.service: the user the lab asks for. Its log is the journal (`journalctl -u etcd`). */
export function etcdDropIn(user: string): string {
  return `# Lifeboat lab: Debian's etcd.service with the lab's user.
# The flags are in DAEMON_ARGS (/etc/default/etcd); the unit's own ETCD_NAME/ETCD_DATA_DIR would conflict with them.
[Service]
UnsetEnvironment=ETCD_NAME ETCD_DATA_DIR
User=${user}
`;
}
