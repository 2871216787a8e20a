import { shellQuote } from '../connection/quote.js';
import { argError, failedOp, probe } from './common.js';
import { type CronJob, cronLines, editCron, envNames, jobNames, renderCron } from './cron-edit.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * cron — a named job (or, with `env`, a variable) in a user's crontab or in a file under /etc/cron.d, as
 * ansible-core's cron module (modules/cron-edit.ts has the edit). One probe reads the crontab
 * (`crontab -l -u USER`) or the cron file; a change is written back with `crontab -u USER -` or as the file
 * (mode 0644). A cron file left without lines by `state: absent` is removed, as Ansible does.
 *
 * Returns: changed, jobs, envs, cron_file, diff.
 */
export interface CronArgs {
  name?: string;
  job?: string;
  minute?: string | number;
  hour?: string | number;
  day?: string | number;
  month?: string | number;
  weekday?: string | number;
  special_time?: string;
  disabled?: boolean;
  user?: string;
  cron_file?: string;
  state?: 'present' | 'absent';
  env?: boolean;
  insertafter?: string;
  insertbefore?: string;
  backup?: boolean;
}

const field = { type: ['string', 'integer'] };

export const cronSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    job: { type: 'string' },
    value: { type: 'string' },
    minute: field,
    hour: field,
    day: field,
    dom: field,
    month: field,
    weekday: field,
    dow: field,
    special_time: { type: 'string', enum: ['annually', 'daily', 'hourly', 'monthly', 'reboot', 'weekly', 'yearly'] },
    disabled: { type: 'boolean' },
    user: { type: 'string', minLength: 1 },
    cron_file: { type: 'string', minLength: 1 },
    state: { type: 'string', enum: ['present', 'absent'] },
    env: { type: 'boolean' },
    insertafter: { type: 'string' },
    insertbefore: { type: 'string' },
    backup: { type: 'boolean', description: 'accepted; the diff shows the crontab before' },
  },
};

const MARK = '---lifeboat-cron---';

export const cronModule: ModuleDef<CronArgs> = {
  name: 'cron',
  summary: "Manage a named job (or variable) in a user's crontab or in /etc/cron.d",
  schema: cronSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args as CronArgs & { value?: string; dom?: string | number; dow?: string | number };
    const state = a.state ?? 'present';
    const t = (v: string | number | undefined) => (v === undefined ? '*' : String(v));
    const job: CronJob = {
      name: a.name ?? '',
      ...(a.job ?? a.value) !== undefined ? { job: (a.job ?? a.value) as string } : {},
      minute: t(a.minute),
      hour: t(a.hour),
      day: t(a.day ?? a.dom),
      month: t(a.month),
      weekday: t(a.weekday ?? a.dow),
      ...(a.special_time ? { special_time: a.special_time } : {}),
      disabled: a.disabled ?? false,
      state,
      env: a.env ?? false,
      ...(a.insertafter !== undefined ? { insertafter: a.insertafter } : {}),
      ...(a.insertbefore !== undefined ? { insertbefore: a.insertbefore } : {}),
    };
    if (a.cron_file === '/etc/crontab') return failedOp('Will not manage /etc/crontab via cron_file, see documentation.');
    if (job.special_time && [job.minute, job.hour, job.day, job.month, job.weekday].some((x) => x !== '*')) {
      return failedOp('You must specify time and date fields or special time.');
    }
    if (state === 'present' && a.cron_file && !a.user) return failedOp('To use cron_file=... parameter you must specify user=... as well');
    if (state === 'present' && job.job === undefined) return failedOp("You must specify 'job' to install a new cron job or variable");
    if ((a.insertafter || a.insertbefore) && !job.env) return failedOp('Insertafter and insertbefore parameters are valid only with env=yes');
    if (job.env && job.name.includes(' ')) return failedOp('Invalid name for environment variable');
    const file = a.cron_file ? (a.cron_file.startsWith('/') ? a.cron_file : `/etc/cron.d/${a.cron_file}`) : undefined;
    // no user: the crontab of whoever the task runs as (the login user, or root with become), as Ansible
    const user = a.user;
    const u = user ? ` -u ${shellQuote(user)}` : '';
    if (file) job.user = a.user as string;
    const read = file
      ? `if [ -f ${shellQuote(file)} ]; then echo yes; echo ${MARK}; cat -- ${shellQuote(file)}; else echo no; echo ${MARK}; fi`
      : `command -v crontab >/dev/null || { echo 'crontab: command not found' >&2; exit 127; }; echo yes; echo ${MARK}; crontab -l${u} 2>/dev/null || true`;
    const r = await probe(ctx, read);
    const at = r.stdout.indexOf(`${MARK}\n`);
    if (r.rc !== 0 || at < 0) throw argError('cron', ctx, `cannot read ${file ?? `the crontab${user ? ` of ${user}` : ''}`}: ${r.stderr.trim() || `exit code ${r.rc}`}`);
    const exists = r.stdout.startsWith('yes');
    const existing = r.stdout.slice(at + MARK.length + 1);
    const lines = cronLines(existing);
    let edit: ReturnType<typeof editCron>;
    try {
      edit = editCron(lines, job);
    } catch (e) {
      return failedOp((e as Error).message);
    }
    // no change to the jobs, but the crontab lacks its final newline: Ansible writes it (a change)
    const changed = edit.changed || (existing !== '' && !/[\r\n]$/.test(existing));
    const after = renderCron(edit.lines);
    const before = renderCron(lines);
    const result = { jobs: jobNames(edit.lines), envs: envNames(edit.lines), ...(a.cron_file ? { cron_file: a.cron_file } : {}) };
    if (!changed) return { changed: false, steps: [], result: { changed: false, ...result } };
    const target = file ?? (user ? `crontab for user "${user}"` : 'crontab');
    const diff = [{ path: target, before: exists ? before : '', after }];
    if (file && state === 'absent' && !after.trim()) {
      return { changed: true, diff: [{ path: target, before, after: '' }], steps: [{ kind: 'exec', cmd: `rm -f -- ${shellQuote(file)}`, description: `remove ${file} (no job left)` }], result };
    }
    const steps = file
      ? [
          { kind: 'exec' as const, cmd: `mkdir -p -- ${shellQuote(file.slice(0, file.lastIndexOf('/')) || '/')}`, description: `create the directory of ${file}` },
          { kind: 'put' as const, content: after, dest: file, mode: 0o644, description: `write ${file}` },
        ]
      : [{ kind: 'exec' as const, cmd: `crontab${u} -`, stdin: after, description: `install the crontab${user ? ` of ${user}` : ''}` }];
    return { changed: true, diff, steps, result };
  },
};

registerModule(cronModule);
