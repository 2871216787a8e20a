import { randomBytes } from 'node:crypto';
import { LifeboatError } from '../errors.js';
import { shellQuote } from './quote.js';

/**
 * Builds the command line sent to a host.
 *
 * Without sudo, the command is `eval`ed by `/bin/sh` in the process that leads its process group (sshd makes
 * each session its own group; the local connection spawns it detached): a timeout or Ctrl-C signals that whole
 * group (from a second channel over SSH, `LBPID` telling which), so the command and its children stop.
 * With sudo, the command runs as a background job of a small POSIX `sh` wrapper whose trap, on TERM/INT/HUP,
 * signals its own process group (sudo runs it under setsid, out of reach of the login user's signals).
 * (A background job's stdin is /dev/null in a non-interactive shell, so stdin is passed on through fd 3.)
 *
 * With become, sudo reads the password from stdin (`-S`) after printing a random prompt on stderr; the
 * command it runs first prints a random marker line on stdout, so the caller knows when authentication is
 * over and the command's own stdin may be sent. The password is never part of the command line.
 */

export interface BecomeSetup {
  /** The random sudo prompt that appears on stderr when sudo wants the password. */
  prompt: string;
  /** The random line printed on stdout once sudo has started the command. */
  marker: string;
}

export interface BuiltCommand {
  line: string;
  become?: BecomeSetup;
}

export interface BuildOptions {
  env?: Record<string, string>;
  become?: boolean;
  becomeUser?: string;
  loginUser: string;
  /**
   * Print `LBPID <pid>` as the first stderr line (the process-group leader's pid), so the caller can kill the
   * group from a second channel: sshd refuses channel signals for root logins (no privilege separation).
   */
  reportPid?: boolean;
}


const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envPrefix(env: Record<string, string> | undefined): string {
  if (!env) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!ENV_NAME.test(k)) {
      throw new LifeboatError('E_USAGE', `invalid environment variable name ${JSON.stringify(k)}`, {
        hint: 'names are letters, digits and _, not starting with a digit',
      });
    }
    parts.push(`${k}=${shellQuote(v)}`);
  }
  return parts.length ? `export ${parts.join(' ')}; ` : '';
}

const TRAP_SIGNALS = 'TERM INT HUP';

/** Runs `job` (a command line) as a killable background job, after `head`. */
function killable(job: string, head = ''): string {
  return (
    `trap 'trap - ${TRAP_SIGNALS}; kill -TERM $lb_pid 0 2>/dev/null; exit 143' ${TRAP_SIGNALS}; ` +
    `${head}exec 3<&0; ${job} <&3 3<&- & lb_pid=$!; wait $lb_pid`
  );
}

/** The command as a brace group running `eval` (a forked subshell, not another sh started: half the cost). */
function evalJob(inner: string): string {
  return `{ eval ${shellQuote(inner)}; }`;
}

export function needsSudo(opts: BuildOptions): boolean {
  if (!opts.become) return false;
  const user = opts.becomeUser ?? 'root';
  return !(user === 'root' && opts.loginUser === 'root');
}

export function buildCommand(cmd: string, opts: BuildOptions): BuiltCommand {
  const inner = `${envPrefix(opts.env)}${cmd}`;
  const head = opts.reportPid ? `printf 'LBPID %s\\n' $$ >&2; ` : '';
  if (!needsSudo(opts)) {
    // No wrapper job needed: $$ leads the command's process group (sshd's session, or the local connection's
    // detached child), and a timeout or Ctrl-C signals that whole group (killGroup / process.kill(-pid)).
    return { line: `exec /bin/sh -c ${shellQuote(`${head}eval ${shellQuote(inner)}`)}` };
  }
  const tag = randomBytes(9).toString('hex');
  const become: BecomeSetup = { prompt: `[lifeboat-sudo-${tag}] `, marker: `LIFEBOAT-BECOME-OK-${tag}` };
  const asUser = killable(evalJob(inner), `printf '%s\\n' ${become.marker}; `);
  const sudo =
    `setsid sudo -S -p ${shellQuote(become.prompt)} -u ${shellQuote(opts.becomeUser ?? 'root')} -H ` +
    `/bin/sh -c ${shellQuote(asUser)}`;
  return { line: `exec /bin/sh -c ${shellQuote(killable(sudo, head))}`, become };
}
