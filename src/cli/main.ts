import { LifeboatError, LifeboatErrors, nearest } from '../errors.js';
import { EXIT } from '../executor/exit-code.js';
import { type Io, processIo } from './io.js';
import { version } from './version.js';
import { type CommandSpec, helpText, type Parsed, parseCommand } from './spec.js';

interface Command {
  spec: CommandSpec;
  run: (p: Parsed, io: Io) => Promise<number>;
}

// Each command's code (and its dependencies: ssh2, listr2, the modules) is loaded only when that command runs:
// `--version` and `--help` load none of it.
const lazy =
  <M>(load: () => Promise<M>, pick: (m: M) => Command) =>
  async (): Promise<Command> =>
    pick(await load());

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: lazy(() => import('./commands/run.js'), (m) => ({ spec: m.runSpec, run: m.runCommand })),
  plan: lazy(() => import('./commands/plan.js'), (m) => ({ spec: m.planSpec, run: m.planCommand })),
  apply: lazy(() => import('./commands/apply.js'), (m) => ({ spec: m.applySpec, run: m.applyCommand })),
  validate: lazy(() => import('./commands/validate.js'), (m) => ({ spec: m.validateSpec, run: m.validateCommand })),
  inventory: lazy(() => import('./commands/inventory.js'), (m) => ({ spec: m.inventorySpec, run: m.inventoryCommand })),
  schedule: lazy(() => import('./commands/schedule.js'), (m) => ({ spec: m.scheduleSpec, run: m.scheduleCommand })),
  snapshots: lazy(() => import('./commands/snapshots.js'), (m) => ({ spec: m.snapshotsSpec, run: m.snapshotsCommand })),
};

const SUMMARIES: Array<[string, string]> = [
  ['run', 'Run playbooks against an inventory'],
  ['plan', 'Show exactly what a run would do, changing nothing (--out to save it)'],
  ['apply', 'Run a saved plan, refusing if anything changed since it was made'],
  ['validate', 'Check inventories, playbooks and roles without connecting'],
  ['inventory', 'Show the resolved inventory (--graph, --list, --host)'],
  ['snapshots', 'List, verify or prune the etcd snapshots of a backup directory'],
  ['schedule', 'Run a playbook on a schedule (systemd timer on this controller, or a Kubernetes CronJob)'],
];


export function mainHelp(): string {
  return `Lifeboat ${version()} — declarative playbooks over SSH, built to bring etcd / Kubernetes control planes back.

Usage: lifeboat <command> [options]

Commands:
${SUMMARIES.map(([n, s]) => `  ${n.padEnd(11)}${s}`).join('\n')}

Options:
  -h, --help     Show help (also: lifeboat <command> --help)
  --version      Show the version

Examples:
  lifeboat plan -i inventories/prod playbooks/etcd-restore.yml
  lifeboat run  -i inventories/prod playbooks/etcd-restore.yml -e snapshot=backups/prod.db
  lifeboat validate -i inventories/prod playbooks/*.yml

Run 'lifeboat <command> --help' for a command's options.
`;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    const topic = cmd === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) {
      io.out.write(helpText((await (COMMANDS[topic] as () => Promise<Command>)()).spec));
      return EXIT.OK;
    }
    io.out.write(mainHelp());
    return cmd === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (cmd === '--version' || cmd === '-V') {
    io.out.write(`${version()}\n`);
    return EXIT.OK;
  }
  const load = COMMANDS[cmd];
  if (!load) {
    const guess = nearest(cmd, Object.keys(COMMANDS));
    io.err.write(`lifeboat: unknown command "${cmd}"${guess ? ` — did you mean "${guess}"?` : ''}\nRun 'lifeboat --help' for the list.\n`);
    return EXIT.USAGE;
  }
  const command = await load();
  try {
    const parsed = parseCommand(command.spec, rest);
    if (parsed.values.help === true) {
      io.out.write(helpText(command.spec));
      return EXIT.OK;
    }
    return await command.run(parsed, io);
  } catch (err) {
    return reportError(err, io);
  }
}

/** Prints an error (masked, as everything the CLI prints) and gives its exit code. */
export function reportError(err: unknown, io: Io): number {
  if (err instanceof LifeboatErrors) {
    for (const e of err.errors) io.err.write(`error: ${e.format()}\n`);
    io.err.write(`\n${err.errors.length} problem(s); nothing was run.\n`);
    return EXIT.USAGE;
  }
  if (err instanceof LifeboatError) {
    io.err.write(`error: ${err.format()}\n`);
    if (err.code === 'E_INTERRUPTED') return EXIT.INTERRUPTED;
    if (err.code === 'E_PLAN_STALE') return EXIT.PLAN_STALE;
    if (err.code === 'E_UNREACHABLE' || err.code === 'E_CONNECT' || err.code === 'E_HOSTKEY') return EXIT.UNREACHABLE;
    if (err.code === 'E_TASK' || err.code === 'E_PREFLIGHT') return EXIT.TASK_FAILED;
    return EXIT.USAGE;
  }
  throw err;
}

/** The process entry (bin/lifeboat.js, and the tests' source entry): run, then set the exit code. */
export function runCli(argv: string[]): void {
  const io = processIo();
  main(argv, io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      io.err.write(`lifeboat: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.INTERNAL;
    },
  );
}
