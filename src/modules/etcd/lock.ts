import { readFileSync } from 'node:fs';
import { probe } from '../common.js';
import { hostname, userInfo } from 'node:os';
import { shellQuote } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import type { ModuleDef, Operation, ResumeHint } from '../types.js';
import { readFileCmd } from './node-probe.js';

/**
 * One restore at a time. `etcd_lock` takes (or releases) `<state_dir>/restore.lock` on a member: a JSON record
 * of the run (its id, the controller, the pid and that pid's start time there, the user, the snapshot). Taking
 * it is atomic (the shell's noclobber: O_EXCL). A lock held by another run is refused naming it; a lock whose
 * owner is gone (same controller, that process no longer exists) is stale: it is taken over only when the
 * operator says to resume that run (`resume: <run id>`, which the interrupted run printed).
 */

export interface EtcdLockArgs {
  /** present: take it; absent: release it (if this run's); free: only check that no other run holds it (a backup). */
  state?: 'present' | 'absent' | 'free';
  /** Who checks with `free`: a backup (default) or a restore's preflight (refused as the lock itself would be). */
  purpose?: 'backup' | 'restore';
  state_dir?: string;
  /** The run's id (the restore's timestamp; a resumed run keeps the id of the run it continues). */
  run: string;
  /** Run id of an interrupted restore whose (stale) lock this run may take over. */
  resume?: string;
  /** The snapshot being restored (recorded in the lock; part of the command that resumes). */
  snapshot?: string;
}

export const LOCK_NAME = 'restore.lock';

export interface LockRecord {
  run: string;
  owner: string;
  controller: string;
  pid: number;
  pid_start: string;
  user: string;
  started: string;
  snapshot?: string;
  resumed_from?: string;
}

/** This process's start time (field 22 of /proc/PID/stat): with the pid it names a process, reuse-proof. */
export function pidStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function selfOwner(): { owner: string; controller: string; pid: number; pid_start: string; user: string } {
  const pid = process.pid;
  const start = pidStart(pid) ?? '?';
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {}
  return { owner: `${hostname()}:${pid}:${start}`, controller: hostname(), pid, pid_start: start, user };
}

/** Is the lock's owner still running? `unknown` when it ran on another controller. */
export function holderState(l: LockRecord): 'alive' | 'gone' | 'unknown' {
  if (l.controller !== hostname()) return 'unknown';
  return pidStart(l.pid) === l.pid_start ? 'alive' : 'gone';
}

export function describeLock(l: LockRecord): string {
  return `restore run ${l.run} by ${l.user} on ${l.controller} (pid ${l.pid}), started ${l.started}${l.snapshot ? `, snapshot ${l.snapshot}` : ''}`;
}

/** The resume hint an acquired lock leaves for the CLI (printed if the run ends before it is released). */
function hint(args: EtcdLockArgs): ResumeHint {
  const vars: Record<string, string> = { etcd_resume: args.run };
  if (args.snapshot) Object.assign(vars, { snapshot: args.snapshot, fresh_snapshot: 'false' });
  return { vars, why: `the etcd restore run ${args.run} did not finish; its lock and markers are on the members` };
}

function parseLock(text: string, file: string, host: string): LockRecord {
  try {
    const l = JSON.parse(text) as LockRecord;
    if (typeof l.run === 'string' && typeof l.owner === 'string') return l;
  } catch {}
  throw new LifeboatError('E_PREFLIGHT', `${file} exists but is not a Lifeboat lock (${JSON.stringify(text.slice(0, 80))})`, {
    host,
    hint: `look at it; if no restore is running, move it aside: mv ${file} ${file}.bad`,
  });
}

/** The refusal of a restore while another run holds the lock: who holds it, and how to go on. */
function refusal(held: LockRecord, file: string, host: string): LifeboatError {
  const state = holderState(held);
  const how =
    state === 'alive'
      ? 'wait for it to finish (or stop it with Ctrl-C: it prints how to continue)'
      : `its owner is ${state === 'gone' ? 'gone (that process no longer runs)' : 'on another controller'}: to continue that restore, run the same command with -e etcd_resume=${held.run}` +
        `${held.snapshot ? ` -e snapshot=${held.snapshot}` : ''}; if no restore is in progress, move the lock aside on every member: mv ${file} ${file}.cleared`;
  return new LifeboatError('E_PREFLIGHT', `another etcd restore holds the lock ${file}: ${describeLock(held)}${state === 'gone' ? ' — stale: its owner is gone' : ''}`, { host, hint: how });
}

export const etcdLockModule: ModuleDef<EtcdLockArgs> = {
  name: 'etcd_lock',
  summary: 'Take or release the one-restore-at-a-time lock on an etcd member (a second run is refused naming the first)',
  schema: {
    type: 'object',
    required: ['run'],
    properties: {
      state: { enum: ['present', 'absent', 'free'] },
      purpose: { enum: ['backup', 'restore'] },
      state_dir: { type: 'string', pattern: '^/' },
      run: { type: 'string', pattern: '^[0-9A-Za-z]+$' },
      resume: { type: 'string', pattern: '^[0-9A-Za-z]*$' },
      snapshot: { type: 'string' },
    },
    additionalProperties: false,
  },
  async plan(ctx): Promise<Operation> {
    const dir = ctx.args.state_dir ?? '/var/lib/lifeboat';
    const file = `${dir}/${LOCK_NAME}`;
    const me = selfOwner();
    const r = await probe(ctx, readFileCmd(file));
    const text = r.stdout.trim();
    const held = text ? parseLock(text, file, ctx.host) : undefined;
    const ours = held !== undefined && held.owner === me.owner && held.run === ctx.args.run;

    if (ctx.args.state === 'free') {
      // a restore's preflight: refused before its (slow) checks, as the lock itself would refuse it later
      if (ctx.args.purpose === 'restore' && held && held.run !== ctx.args.resume) throw refusal(held, file, ctx.host);
      if (ctx.args.purpose !== 'restore' && held && held.run !== ctx.args.run) {
        throw new LifeboatError('E_PREFLIGHT', `an etcd restore holds the lock ${file}: ${describeLock(held)}${holderState(held) === 'gone' ? ' — stale: its owner is gone' : ''}; a snapshot now could catch members mid-restore`, {
          host: ctx.host,
          hint: `back up once the restore has ended; if no restore is in progress, move the lock aside on every member: mv ${file} ${file}.cleared`,
        });
      }
      return { changed: false, steps: [], result: { changed: false, lock: file, held_by_this_run: held !== undefined } };
    }
    const f = shellQuote(file);
    const runMark = shellQuote(`"run":${JSON.stringify(ctx.args.run)}`);
    if ((ctx.args.state ?? 'present') === 'absent') {
      if (held && held.run !== ctx.args.run) return { changed: false, steps: [], notes: [`${file} is held by ${describeLock(held)}: left alone`], resume: null };
      // no lock, and (in a plan) none taken by an earlier task of this plan: nothing to release
      const takenInPlan = ctx.check && (ctx.earlierSteps ?? []).some((st) => st.kind === 'exec' && st.cmd.includes(`cat > ${f})`));
      if (!held && !takenInPlan) return { changed: false, steps: [], notes: [`no restore lock at ${file}`], resume: null };
      // by run id, not pid: a plan and its apply are different processes of the same run
      return {
        changed: true,
        steps: [{ kind: 'exec', cmd: `if grep -qF ${runMark} ${f} 2>/dev/null; then rm -f ${f}; fi`, description: `release the restore lock ${file} (run ${ctx.args.run})` }],
        resume: null,
      };
    }

    const record: LockRecord = { run: ctx.args.run, ...me, started: new Date().toISOString(), ...(ctx.args.snapshot ? { snapshot: ctx.args.snapshot } : {}) };
    const notes: string[] = [];
    if (held && !ours) {
      const state = holderState(held);
      const resuming = ctx.args.resume !== undefined && ctx.args.resume !== '' && ctx.args.resume === held.run && held.run === ctx.args.run;
      if (state === 'alive' || !resuming) throw refusal(held, file, ctx.host);
      record.resumed_from = held.owner;
      notes.push(`resuming ${describeLock(held)}`);
    }
    if (held) record.started = held.started;
    // One command whatever is found (no lock, this run's, a stale one of the run resumed): the record travels on
    // stdin, so a plan and its apply (other pids, other times) render the same command. noclobber = O_EXCL.
    const cmd =
      `mkdir -p ${shellQuote(dir)} && if [ -e ${f} ] && grep -qF ${runMark} ${f}; then cat > ${shellQuote(`${file}.new`)} && mv ${shellQuote(`${file}.new`)} ${f}; ` +
      `else (set -C; cat > ${f}) 2>/dev/null || { echo "another restore took the lock meanwhile: $(cat ${f})" >&2; exit 1; }; fi`;
    return {
      changed: true,
      steps: [{ kind: 'exec', cmd, stdin: `${JSON.stringify(record)}\n`, description: `take the restore lock ${file} (run ${record.run}${ctx.args.snapshot ? `, snapshot ${ctx.args.snapshot}` : ''})` }],
      ...(notes.length ? { notes } : {}),
      result: { lock: file, run: record.run, ...(record.resumed_from ? { resumed: true } : {}) },
      resume: hint(ctx.args),
    };
  },
};
