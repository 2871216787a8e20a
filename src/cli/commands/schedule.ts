import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { LifeboatError } from '../../errors.js';
import { packageRoot } from '../../playbook/role-path.js';
import { writeFileMasked } from '../../secrets.js';
import { EXIT } from '../../executor/exit-code.js';
import type { Io } from '../io.js';
import { cronJob, type Schedule, serviceUnit, timerUnit, unitName } from '../schedule-units.js';
import { bool, type CommandSpec, type Parsed, str, strs } from '../spec.js';

export const scheduleSpec: CommandSpec = {
  name: 'schedule',
  summary: 'Run a playbook on a schedule: systemd timer + service on this controller, or a Kubernetes CronJob.',
  usage: 'lifeboat schedule add NAME -i INVENTORY --playbook FILE --on-calendar SPEC [--randomized-delay T] [-e VARS] [--print] | remove NAME | add NAME ... --kubernetes --cron "0 * * * *" --image IMAGE',
  options: [
    { name: 'inventory', short: 'i', type: 'string', multiple: true, valueName: 'PATH', desc: 'Inventory (absolute, or relative to the working directory)' },
    { name: 'playbook', type: 'string', valueName: 'FILE', desc: 'The playbook to run' },
    { name: 'extra-vars', short: 'e', type: 'string', multiple: true, valueName: 'VARS', desc: 'Extra variables for the run (never put secrets here: they end up in the unit file)' },
    { name: 'on-calendar', type: 'string', valueName: 'SPEC', desc: 'systemd OnCalendar: hourly, daily, "*-*-* 02:30:00", …' },
    { name: 'randomized-delay', type: 'string', valueName: 'T', desc: 'systemd RandomizedDelaySec, e.g. 10m' },
    { name: 'accuracy', type: 'string', valueName: 'T', desc: 'systemd AccuracySec (default 1min: runs may start up to a minute late), e.g. 1s' },
    { name: 'unit-dir', type: 'string', default: '/etc/systemd/system', valueName: 'DIR', desc: 'Where the units go' },
    { name: 'print', type: 'boolean', desc: 'Print the units instead of installing them' },
    { name: 'kubernetes', type: 'boolean', desc: 'Print a Kubernetes CronJob instead (with --cron and --image)' },
    { name: 'cron', type: 'string', valueName: 'SPEC', desc: 'CronJob schedule, e.g. "0 * * * *"' },
    { name: 'image', type: 'string', valueName: 'IMAGE', desc: 'CronJob: an image with lifeboat on its PATH' },
    { name: 'namespace', type: 'string', default: 'lifeboat', valueName: 'NS', desc: 'CronJob namespace' },
  ],
  examples: [
    'lifeboat schedule add prod-backup -i inventories/prod --playbook playbooks/etcd-backup.yml --on-calendar hourly --randomized-delay 5m',
    'lifeboat schedule add prod-drill -i inventories/prod --playbook playbooks/etcd-drill.yml --on-calendar daily',
    'lifeboat schedule remove prod-backup',
  ],
  footer: 'Installed units are enabled with systemctl (when systemd runs); runs log to the journal: journalctl -t lifeboat-NAME.',
};

// From the package root, not this file: the bundle (dist/bundle/) sits at another depth than dist/cli/commands/.
const BIN = path.join(packageRoot(), 'bin', 'lifeboat.js');
const abs = (p: string) => path.resolve(process.cwd(), p);

function systemctl(args: string[]): void {
  if (!existsSync('/run/systemd/system')) return; // systemd is not running here: the units are written only
  const r = spawnSync('systemctl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new LifeboatError('E_USAGE', `systemctl ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
}

export async function scheduleCommand(p: Parsed, io: Io): Promise<number> {
  const [action, name, ...rest] = p.positionals;
  if (!action || !['add', 'remove'].includes(action) || !name || rest.length) throw new LifeboatError('E_USAGE', 'give add NAME or remove NAME', { hint: 'lifeboat schedule --help' });
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new LifeboatError('E_USAGE', `schedule name "${name}" may hold only letters, digits, - and _`);
  const v = p.values;
  const dir = str(v, 'unit-dir') ?? '/etc/systemd/system';
  const unit = unitName(name);
  if (action === 'remove') {
    systemctl(['disable', '--now', `${unit}.timer`]);
    await rm(path.join(dir, `${unit}.timer`), { force: true });
    await rm(path.join(dir, `${unit}.service`), { force: true });
    systemctl(['daemon-reload']);
    io.out.write(`removed ${unit}.timer and ${unit}.service from ${dir}\n`);
    return EXIT.OK;
  }
  const playbook = str(v, 'playbook');
  const inventories = strs(v, 'inventory');
  if (!playbook || inventories.length === 0) throw new LifeboatError('E_USAGE', 'add needs --playbook FILE and -i INVENTORY');
  const s: Schedule = {
    name,
    playbook: abs(playbook),
    inventories: inventories.map(abs),
    extraVars: strs(v, 'extra-vars'),
    onCalendar: str(v, 'on-calendar') ?? '',
    ...(str(v, 'randomized-delay') ? { randomizedDelay: str(v, 'randomized-delay') as string } : {}),
    ...(str(v, 'accuracy') ? { accuracy: str(v, 'accuracy') as string } : {}),
    workingDirectory: process.cwd(),
    node: process.execPath,
    bin: BIN,
  };
  if (bool(v, 'kubernetes')) {
    const cron = str(v, 'cron');
    const image = str(v, 'image');
    if (!cron || !image) throw new LifeboatError('E_USAGE', '--kubernetes needs --cron SPEC and --image IMAGE');
    // in the pod, the files are under /work (a ConfigMap)
    const inPod = { ...s, playbook: path.relative(process.cwd(), s.playbook), inventories: s.inventories.map((i) => path.relative(process.cwd(), i)) };
    io.out.write(cronJob(inPod, { cron, image, namespace: str(v, 'namespace') ?? 'lifeboat' }));
    return EXIT.OK;
  }
  if (!s.onCalendar) throw new LifeboatError('E_USAGE', 'add needs --on-calendar SPEC (systemd OnCalendar: hourly, daily, "*-*-* 02:30:00")');
  const check = spawnSync('systemd-analyze', ['calendar', s.onCalendar], { encoding: 'utf8' });
  if (check.status !== null && check.status !== 0) throw new LifeboatError('E_USAGE', `--on-calendar "${s.onCalendar}" is not a systemd calendar spec: ${check.stderr.trim()}`);
  const service = serviceUnit(s);
  const timer = timerUnit(s);
  if (bool(v, 'print')) {
    io.out.write(`# ${unit}.service\n${service}\n# ${unit}.timer\n${timer}`);
    return EXIT.OK;
  }
  await mkdir(dir, { recursive: true });
  writeFileMasked(path.join(dir, `${unit}.service`), service, io.secrets);
  writeFileMasked(path.join(dir, `${unit}.timer`), timer, io.secrets);
  systemctl(['daemon-reload']);
  systemctl(['enable', '--now', `${unit}.timer`]);
  io.out.write(`wrote ${unit}.service and ${unit}.timer to ${dir}${existsSync('/run/systemd/system') ? ' and enabled the timer' : ' (systemd is not running here: enable with systemctl enable --now '}${existsSync('/run/systemd/system') ? '' : `${unit}.timer)`}\n`);
  return EXIT.OK;
}
