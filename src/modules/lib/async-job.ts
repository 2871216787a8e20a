/**
 * Jobs left running on a host (`async: N` with `poll: 0`), and `async_status` reading them back. A job is the
 * task's one shell command started detached (`setsid`, no terminal, stdin from /dev/null) under `timeout N`
 * (TERM at N seconds, KILL 5 s later; its exit 124/137 marks the job timed out),
 * writing `<dir>/<jid>.out`, `.err`, then `.rc` last (renamed into place, so a present `.rc` means finished).
 * The directory is `$HOME/.lifeboat_async` of the user the command runs as (Ansible: `~/.ansible_async`).
 */
import { randomBytes } from 'node:crypto';
import { shellQuote } from '../../connection/quote.js';

/** The modules whose operation is one command that can be left running. */
export const BACKGROUND_MODULES = ['command', 'shell', 'raw'];

export const JOB_DIR = '"$HOME/.lifeboat_async"';

/** A job id, Ansible-shaped (`j` + digits): unique enough per host and run. */
export function newJobId(): string {
  return `j${BigInt(`0x${randomBytes(6).toString('hex')}`).toString().padStart(15, '0')}`;
}

/** The command that starts `cmd` in the background and returns at once. */
export function backgroundCommand(cmd: string, jid: string, seconds: number): string {
  const j = shellQuote(jid);
  const inner = `timeout -k 5 ${seconds} sh -c ${shellQuote(cmd)} > "$d"/${j}.out 2> "$d"/${j}.err; rc=$?; ` +
    `case $rc in 124|137) touch "$d"/${j}.timedout;; esac; echo $rc > "$d"/${j}.rc.new && mv "$d"/${j}.rc.new "$d"/${j}.rc`;
  return `d=${JOB_DIR}; mkdir -p "$d" && chmod 700 "$d" && export d && setsid sh -c ${shellQuote(inner)} < /dev/null > /dev/null 2>&1 & echo started`;
}

/** What `async_status` reads: the job's state in one probe (`finished` line first). */
export function statusCommand(jid: string): string {
  const j = shellQuote(jid);
  return `d=${JOB_DIR}; if [ ! -e "$d"/${j}.out ]; then echo nojob; exit 0; fi; if [ -e "$d"/${j}.rc ]; then echo "finished $(cat "$d"/${j}.rc)"; else echo running; fi; ` +
    `[ -e "$d"/${j}.timedout ] && echo timedout; echo ---out; cat "$d"/${j}.out; echo ---err; cat "$d"/${j}.err`;
}

export function cleanupCommand(jid: string): string {
  const j = shellQuote(jid);
  return `d=${JOB_DIR}; rm -f "$d"/${j}.out "$d"/${j}.err "$d"/${j}.rc "$d"/${j}.timedout`;
}

export type JobState =
  | { kind: 'none' }
  | { kind: 'running'; stdout: string; stderr: string }
  | { kind: 'finished'; rc: number; timedOut: boolean; stdout: string; stderr: string };

export function parseStatus(out: string): JobState {
  const first = out.split('\n', 1)[0] ?? '';
  if (first === 'nojob') return { kind: 'none' };
  const o = out.indexOf('---out\n');
  const e = out.lastIndexOf('---err\n');
  const stdout = o >= 0 && e > o ? out.slice(o + 7, e) : '';
  const stderr = e >= 0 ? out.slice(e + 7) : '';
  const fin = /^finished (\d+)$/.exec(first);
  if (!fin) return { kind: 'running', stdout, stderr };
  return { kind: 'finished', rc: Number(fin[1]), timedOut: /\ntimedout\n/.test(out.slice(0, o >= 0 ? o : undefined)), stdout, stderr };
}
