import { setTimeout as wait } from 'node:timers/promises';
import { shellQuote } from '../connection/quote.js';
import { probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, ModuleResult, Operation } from './types.js';

/**
 * reboot (ansible.builtin.reboot) — reboot the host, wait until it is back, and prove it: the boot id (or what
 * `boot_time_command` prints) must differ from the one read before, then `test_command` must succeed, all within
 * `reboot_timeout` seconds. The reboot command is started detached after a 1 s delay, so its own exec returns
 * before the connection drops; the connection reopens by itself (the ssh connection reconnects on the next exec).
 *
 * Plan/check: the probe reads the boot id and finds `shutdown`; the one step is destructive ("reboots the host").
 * Returns: rebooted, elapsed (seconds), as Ansible's module does.
 */
export interface RebootArgs {
  pre_reboot_delay?: number;
  post_reboot_delay?: number;
  reboot_timeout?: number;
  connect_timeout?: number;
  test_command?: string;
  msg?: string;
  search_paths?: string[];
  boot_time_command?: string;
  reboot_command?: string;
}

const seconds = { type: 'integer', minimum: 0 };
export const rebootSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pre_reboot_delay: seconds,
    post_reboot_delay: seconds,
    reboot_timeout: { type: 'integer', minimum: 1 },
    connect_timeout: { type: 'integer', minimum: 1 },
    test_command: { type: 'string', minLength: 1 },
    msg: { type: 'string' },
    search_paths: { type: 'array', items: { type: 'string' } },
    boot_time_command: { type: 'string', minLength: 1 },
    reboot_command: { type: 'string', minLength: 1 },
  },
};

const DEFAULT_PATHS = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'];
const DEFAULT_BOOT_ID = 'cat /proc/sys/kernel/random/boot_id';

/** The probe: the current boot id, then where the reboot command's program is (Ansible searches search_paths). */
function probeCmd(bootCmd: string, program: string, paths: string[]): string {
  const find = program.startsWith('/')
    ? `[ -x ${shellQuote(program)} ] && echo "path=${program}"`
    : `for d in ${paths.map(shellQuote).join(' ')}; do if [ -x "$d"/${shellQuote(program)} ]; then echo "path=$d/${program}"; break; fi; done`;
  return `echo "boot=$(${bootCmd})"; ${find}; true`;
}

/** The command Ansible runs: `shutdown -r +MIN "msg"` (Linux takes minutes), or the user's own. */
function rebootLine(a: RebootArgs, path: string): string {
  if (a.reboot_command) {
    const rest = a.reboot_command.trim().split(/\s+/).slice(1).join(' ');
    return rest ? `${shellQuote(path)} ${rest}` : shellQuote(path);
  }
  const minutes = Math.floor((a.pre_reboot_delay ?? 0) / 60);
  return `${shellQuote(path)} -r ${minutes > 0 ? `+${minutes}` : 'now'} ${shellQuote(a.msg ?? 'Reboot initiated by Ansible')}`;
}

/** After the reboot: wait for a new boot id, then for test_command; Ansible's messages on timeout. */
async function awaitBack(ctx: ModuleContext<RebootArgs>, before: string, started: number): Promise<ModuleResult> {
  const a = ctx.args;
  const timeoutMs = (a.reboot_timeout ?? 600) * 1000;
  const execMs = (a.connect_timeout ?? 10) * 1000;
  const elapsed = () => Math.round((Date.now() - started) / 1000);
  const signal = ctx.signal;
  const until = started + timeoutMs;
  await wait((a.post_reboot_delay ?? 0) * 1000, undefined, signal ? { signal } : {});
  const attempt = async (cmd: string): Promise<{ rc: number; stdout: string } | undefined> => {
    try {
      const r = await ctx.conn.exec(cmd, { become: ctx.become, timeoutMs: execMs, ...(signal ? { signal } : {}) });
      return r.timedOut ? undefined : r;
    } catch (e) {
      if (signal?.aborted) throw e;
      return undefined; // down, refusing, or the old connection dropping: try again
    }
  };
  let backoff = 500;
  const pause = async () => {
    await wait(Math.min(backoff, Math.max(0, until - Date.now())), undefined, signal ? { signal } : {});
    backoff = Math.min(backoff * 2, 5000);
  };
  for (;;) {
    const r = await attempt(a.boot_time_command ?? DEFAULT_BOOT_ID);
    const now = r?.rc === 0 ? r.stdout.trim() : '';
    if (now !== '' && now !== before) break;
    if (Date.now() >= until) return { changed: true, failed: true, rebooted: false, elapsed: elapsed(), msg: `Timed out waiting for last boot time check (timeout=${a.reboot_timeout ?? 600})` };
    await pause();
  }
  backoff = 500;
  for (;;) {
    const r = await attempt(a.test_command ?? 'whoami');
    if (r?.rc === 0) return { changed: true, rebooted: true, elapsed: elapsed() };
    if (Date.now() >= until) return { changed: true, failed: true, rebooted: true, elapsed: elapsed(), msg: `Timed out waiting for post-reboot test command (timeout=${a.reboot_timeout ?? 600})` };
    await pause();
  }
}

export const rebootModule: ModuleDef<RebootArgs> = {
  name: 'reboot',
  summary: 'Reboot the host, wait until it is back (a new boot id, then test_command), within reboot_timeout',
  schema: rebootSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const program = a.reboot_command?.trim().split(/\s+/)[0] ?? 'shutdown';
    const out = (await probe(ctx, probeCmd(a.boot_time_command ?? DEFAULT_BOOT_ID, program, a.search_paths ?? DEFAULT_PATHS))).stdout;
    const before = /^boot=(.*)$/m.exec(out)?.[1]?.trim() ?? '';
    const path = /^path=(.*)$/m.exec(out)?.[1];
    if (!path) {
      const where = program.startsWith('/') ? program : `${program} in ${(a.search_paths ?? DEFAULT_PATHS).join(', ')}`;
      return { changed: false, steps: [], result: { changed: false, failed: true, rebooted: false, msg: `Unable to find command "${where}"` } };
    }
    if (!before && !ctx.check) return { changed: false, steps: [], result: { changed: false, failed: true, rebooted: false, msg: `boot_time_command printed nothing: ${a.boot_time_command ?? DEFAULT_BOOT_ID}` } };
    return {
      changed: true,
      steps: [
        {
          kind: 'exec',
          cmd: `nohup sh -c ${shellQuote(`sleep 1; ${rebootLine(a, path)}`)} > /dev/null 2>&1 &`,
          description: `reboot (${rebootLine(a, path)}), then wait up to ${a.reboot_timeout ?? 600}s for a new boot id and \`${a.test_command ?? 'whoami'}\``,
          destructive: 'reboots the host',
        },
      ],
      result: { rebooted: false, elapsed: 0 },
      finish: async (outcomes) => {
        const o = outcomes[0];
        if (o?.error) return { changed: false, failed: true, rebooted: false, elapsed: 0, msg: `the reboot command did not start: ${o.error}` };
        return awaitBack(ctx, before, Date.now());
      },
    };
  },
};

registerModule(rebootModule);
