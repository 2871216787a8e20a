import { shellQuote } from '../connection/quote.js';
import { argError, parseKeyValues, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, ModuleResult, Operation, StepOutcome } from './types.js';

/**
 * wait_for — wait on the host until a TCP port accepts connections (started) or refuses them (stopped), has no
 * established connections (drained), or a file exists (present, optionally containing search_regex) or is gone
 * (absent); or just wait `timeout` seconds. The loop runs on the host in one command (bash /dev/tcp, else nc;
 * ss for drained). The plan probes the condition once: already true means "ok", else "unknown" (it will wait).
 * Never a change.
 *
 * Returns: elapsed (seconds), state, port, path, search_regex; failed with msg after `timeout`.
 */
export interface WaitForArgs {
  host?: string;
  port?: number;
  path?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent' | 'drained';
  search_regex?: string;
  timeout?: number;
  delay?: number;
  sleep?: number;
  connect_timeout?: number;
  msg?: string;
}

export const waitForSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    path: { type: 'string', minLength: 1 },
    state: { type: 'string', enum: ['started', 'stopped', 'present', 'absent', 'drained'] },
    search_regex: { type: 'string', minLength: 1 },
    timeout: { type: 'integer', minimum: 0 },
    delay: { type: 'integer', minimum: 0 },
    sleep: { type: 'integer', minimum: 1 },
    connect_timeout: { type: 'integer', minimum: 1 },
    msg: { type: 'string' },
  },
};

/** A shell test (exit 0 = the condition holds) for the arguments. */
export function conditionCommand(a: WaitForArgs): string | undefined {
  const state = a.state ?? 'started';
  const host = a.host ?? '127.0.0.1';
  const ct = a.connect_timeout ?? 5;
  const re = a.search_regex !== undefined ? shellQuote(a.search_regex) : undefined;
  if (a.path !== undefined) {
    const p = shellQuote(a.path);
    if (state === 'absent' || state === 'stopped') return `[ ! -e ${p} ]`;
    return re ? `[ -f ${p} ] && grep -Eq -- ${re} ${p}` : `[ -e ${p} ]`;
  }
  if (a.port === undefined) return undefined;
  const port = a.port;
  if (state === 'drained') {
    return `[ -z "$(ss -Htn state established '( sport = :${port} or dport = :${port} )' 2>/dev/null)" ]`;
  }
  const h = shellQuote(host);
  const tcp = `/dev/tcp/${host}/${port}`;
  const open = re
    ? `timeout ${ct} bash -c ${shellQuote(`exec 3<>${tcp}; timeout 1 cat <&3`)} 2>/dev/null | grep -Eq -- ${re}`
    : `if command -v bash >/dev/null 2>&1; then timeout ${ct} bash -c ${shellQuote(`exec 3<>${tcp}`)} 2>/dev/null; else nc -z -w ${ct} ${h} ${port} 2>/dev/null; fi`;
  if (state === 'stopped' || state === 'absent') return `! { ${open}; }`;
  return open;
}

function describe(a: WaitForArgs): string {
  const state = a.state ?? 'started';
  if (a.path !== undefined) return `${a.path} ${state}${a.search_regex ? ` matching /${a.search_regex}/` : ''}`;
  if (a.port !== undefined) return `${a.host ?? '127.0.0.1'}:${a.port} ${state}`;
  return `${a.timeout ?? 300}s`;
}

export const waitForModule: ModuleDef<WaitForArgs> = {
  name: 'wait_for',
  summary: 'Wait on the host for a port, a file, a drained port, or a number of seconds',
  schema: waitForSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    if (a.path !== undefined && a.port !== undefined)
      throw argError('wait_for', ctx, 'port and path are mutually exclusive');
    if (a.state === 'drained' && a.port === undefined) throw argError('wait_for', ctx, 'state=drained needs a port');
    if (a.search_regex !== undefined && (a.state === 'absent' || a.state === 'stopped' || a.state === 'drained')) {
      throw argError('wait_for', ctx, `search_regex only works with state started or present`);
    }
    const timeout = a.timeout ?? 300;
    const delay = a.delay ?? 0;
    const sleep = a.sleep ?? 1;
    const cond = conditionCommand(a);
    const what = describe(a);
    const base = {
      state: a.state ?? 'started',
      ...(a.port !== undefined ? { port: a.port } : {}),
      ...(a.path !== undefined ? { path: a.path } : {}),
      ...(a.search_regex !== undefined ? { search_regex: a.search_regex } : {}),
    };
    const failMsg = a.msg ?? `Timeout when waiting for ${what}`;
    const since = '$(($(date +%s)-s))';
    const script = cond
      ? `${delay ? `sleep ${delay}; ` : ''}s=$(date +%s); until ${cond}; do ` +
        `[ ${since} -ge ${timeout} ] && { echo elapsed=${since}; echo ${shellQuote(failMsg)} >&2; exit 1; }; ` +
        `sleep ${sleep}; done; echo elapsed=${since}`
      : `sleep ${delay + timeout}; echo elapsed=${delay + timeout}`;
    let holds = false;
    if (cond && delay === 0) holds = (await probe(ctx, `if ${cond}; then echo yes; fi`)).stdout.trim() === 'yes';
    return {
      changed: holds ? false : 'unknown',
      notes: [holds ? `${what}: already true` : `waits up to ${timeout}s for ${what}`],
      steps: [
        {
          kind: 'exec',
          cmd: script,
          description: `wait for ${what} (up to ${timeout}s)`,
          timeoutMs: (delay + timeout + 30) * 1000,
        },
      ],
      result: base,
      finish: (outcomes: StepOutcome[]): ModuleResult => {
        const e = outcomes[0]?.exec;
        const elapsed = Number(parseKeyValues(e?.stdout ?? '').get('elapsed') ?? 0);
        if (e?.rc !== 0 || e.signal) {
          return { changed: false, failed: true, elapsed, msg: e?.stderr.trim() || failMsg, ...base };
        }
        return { changed: false, elapsed, ...base };
      },
    };
  },
};

registerModule(waitForModule);
