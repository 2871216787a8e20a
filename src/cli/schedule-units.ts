import path from 'node:path';

/**
 * A scheduled Lifeboat run as systemd units on the controller (a oneshot service and its timer) or as a
 * Kubernetes CronJob, rendered from one description. The run takes a lock (`flock -n`: an overlapping run fails
 * at once instead of queueing), writes plain output to the journal, and its exit status is the unit's.
 */
export interface Schedule {
  name: string;
  playbook: string;
  inventories: string[];
  extraVars: string[];
  /** systemd OnCalendar (e.g. `hourly`, `*-*-* 02:30:00`). */
  onCalendar: string;
  /** RandomizedDelaySec (e.g. `10m`). */
  randomizedDelay?: string;
  /** AccuracySec (systemd's default is 1min: a timer may fire up to a minute late). */
  accuracy?: string;
  workingDirectory: string;
  /** node and the lifeboat entry point. */
  node: string;
  bin: string;
}

export const unitName = (name: string): string => `lifeboat-${name}`;

/** One argv element as systemd's ExecStart reads it: quoted when needed, `%` and `$` escaped. */
export function systemdWord(w: string): string {
  const esc = w.replaceAll('%', '%%').replaceAll('$', () => '$$'); // (a replacement string '$$' would be one $)
  return /^[A-Za-z0-9_./:=@+,-]+$/.test(esc) ? esc : `"${esc.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function runArgv(s: Schedule): string[] {
  return [s.bin, 'run', s.playbook, ...s.inventories.flatMap((i) => ['-i', i]), ...s.extraVars.flatMap((e) => ['-e', e]), '--output', 'plain'];
}

export function serviceUnit(s: Schedule): string {
  const lock = `/run/lock/${unitName(s.name)}.lock`;
  return `# Written by \`lifeboat schedule add ${s.name}\`; remove with \`lifeboat schedule remove ${s.name}\`.
[Unit]
Description=Lifeboat: ${path.basename(s.playbook)} (${s.name})
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
WorkingDirectory=${systemdWord(s.workingDirectory)}
# flock -n -E 75: a run still going when the next is due makes the next fail with status 75 instead of piling up
ExecStart=/usr/bin/flock -n -E 75 ${lock} ${[s.node, ...runArgv(s)].map(systemdWord).join(' ')}
StandardOutput=journal
StandardError=journal
SyslogIdentifier=${unitName(s.name)}
`;
}

export function timerUnit(s: Schedule): string {
  return `# Written by \`lifeboat schedule add ${s.name}\`.
[Unit]
Description=Lifeboat schedule ${s.name}: ${s.onCalendar}

[Timer]
OnCalendar=${s.onCalendar}
${s.randomizedDelay ? `RandomizedDelaySec=${s.randomizedDelay}\n` : ''}${s.accuracy ? `AccuracySec=${s.accuracy}\n` : ''}Persistent=true
Unit=${unitName(s.name)}.service

[Install]
WantedBy=timers.target
`;
}

/** The same run as a Kubernetes CronJob (for a management cluster): inventory and playbooks from a ConfigMap, the SSH key from a Secret. */
export function cronJob(s: Schedule, o: { cron: string; image: string; namespace: string }): string {
  const args = runArgv({ ...s, bin: 'run' }).slice(1);
  return `# Written by \`lifeboat schedule add ${s.name} --kubernetes\`. Fill the ConfigMap "${unitName(s.name)}-files"
# with the inventory and playbooks (paths below are under /work), and the Secret "${unitName(s.name)}-ssh" with the
# SSH private key (key: id_ed25519) and known_hosts. concurrencyPolicy Forbid: no two runs overlap.
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${unitName(s.name)}
  namespace: ${o.namespace}
spec:
  schedule: ${JSON.stringify(o.cron)}
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 5
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: lifeboat
              image: ${JSON.stringify(o.image)}
              workingDir: /work
              command: ["lifeboat"]
              args: ${JSON.stringify(args)}
              volumeMounts:
                - { name: files, mountPath: /work, readOnly: true }
                - { name: ssh, mountPath: /root/.ssh, readOnly: true }
          volumes:
            - name: files
              configMap: { name: ${unitName(s.name)}-files }
            - name: ssh
              secret: { secretName: ${unitName(s.name)}-ssh, defaultMode: 0400 }
`;
}
