import { shellQuote } from '../connection/quote.js';
import { argError, asList, failedOp, listSchema, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, ModuleResult, Operation, Step, StepOutcome } from './types.js';

/**
 * pip — Python packages on the host, in its interpreter's site or a virtualenv (made first when missing). One
 * probe finds pip and lists what is installed (`pip list --format=freeze`); `present` installs only the
 * requirements the installed versions do not satisfy and `absent` removes only what is there, so both are known
 * in a plan. `latest`, `requirements` files and URLs cannot be judged without the index: they run, and the
 * change is what the installed list says before and after (as Ansible decides it).
 *
 * Returns: cmd, name, requirements, version, virtualenv, state, stdout, stderr.
 */
export interface PipArgs {
  name?: string | string[];
  version?: string;
  requirements?: string;
  virtualenv?: string;
  virtualenv_command?: string;
  virtualenv_python?: string;
  virtualenv_site_packages?: boolean;
  state?: 'present' | 'absent' | 'latest' | 'forcereinstall';
  extra_args?: string;
  editable?: boolean;
  chdir?: string;
  executable?: string;
  umask?: string;
  break_system_packages?: boolean;
}

export const pipSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: listSchema,
    version: { type: 'string', minLength: 1 },
    requirements: { type: 'string', minLength: 1 },
    virtualenv: { type: 'string', minLength: 1 },
    virtualenv_command: { type: 'string', minLength: 1 },
    virtualenv_python: { type: 'string', minLength: 1 },
    virtualenv_site_packages: { type: 'boolean' },
    state: { type: 'string', enum: ['present', 'absent', 'latest', 'forcereinstall'] },
    extra_args: { type: 'string' },
    editable: { type: 'boolean' },
    chdir: { type: 'string', minLength: 1 },
    executable: { type: 'string', minLength: 1 },
    umask: { type: 'string', pattern: '^0?[0-7]{3}$' },
    break_system_packages: { type: 'boolean' },
  },
};

/** PEP 503: names compare lowercased with runs of -_. as one dash. */
export const normName = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');

export interface Requirement {
  raw: string;
  name?: string;
  specs: Array<{ op: string; version: string }>;
}

/** `name[extra] >=1.2,<2` → name and specifiers; URLs, paths and VCS links have no name (always installed). */
export function parseRequirement(raw: string): Requirement {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([<>=!~].*)?$/.exec(raw.trim());
  if (!m || raw.includes('://') || raw.includes('/')) return { raw, specs: [] };
  const specs = (m[3] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const sm = /^(~=|===|==|!=|<=|>=|<|>)\s*(.+)$/.exec(s);
      return { op: sm?.[1] ?? '==', version: (sm?.[2] ?? s).trim() };
    });
  return { raw, name: m[1] as string, specs };
}

/** A PEP 440 comparison of release numbers (1.10 > 1.9); pre/post/dev suffixes compare as text after them. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const m = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(v.trim());
    return { nums: (m?.[1] ?? '0').split('.').map(Number), rest: m?.[2] ?? v };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.rest === y.rest) return 0;
  if (x.rest === '') return /^[.-]?post/.test(y.rest) ? -1 : 1; // 1.0 > 1.0rc1, 1.0 < 1.0.post1
  if (y.rest === '') return /^[.-]?post/.test(x.rest) ? 1 : -1;
  return x.rest < y.rest ? -1 : 1;
}

function satisfies(version: string, specs: Requirement['specs']): boolean {
  return specs.every(({ op, version: v }) => {
    if ((op === '==' || op === '!=') && v.endsWith('.*')) {
      const prefix = v.slice(0, -2);
      const match = version === prefix || version.startsWith(`${prefix}.`);
      return op === '==' ? match : !match;
    }
    const c = compareVersions(version, v);
    switch (op) {
      case '==':
      case '===':
        return c === 0;
      case '!=':
        return c !== 0;
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      default: {
        // ~=1.4.5 means >=1.4.5, ==1.4.*
        const parts = v.split('.');
        const prefix = parts.slice(0, -1).join('.');
        return c >= 0 && (version === prefix || version.startsWith(`${prefix}.`));
      }
    }
  });
}

export function parseFreeze(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)/.exec(line.trim());
    if (m) out.set(normName(m[1] as string), m[2] as string);
  }
  return out;
}

/** A comma list of names, rejoined where a comma separated two specifiers of one name (`a>=1,<2`), as Ansible does. */
export function recoverNames(parts: string[]): string[] {
  const out: string[] = [];
  for (const p of parts.map((x) => x.trim()).filter(Boolean)) {
    if (/^[<>=!~]/.test(p) && out.length) out[out.length - 1] += `,${p}`;
    else out.push(p);
  }
  return out;
}

const NOCHANGE = '__lifeboat_pip_nochange__';

export const pipModule: ModuleDef<PipArgs> = {
  name: 'pip',
  summary: 'Python packages with pip, in the system interpreter or a virtualenv',
  schema: pipSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const state = a.state ?? 'present';
    const names = recoverNames(asList(a.name));
    if (!names.length && !a.requirements) throw argError('pip', ctx, 'one of the following is required: name, requirements');
    if (names.length && a.requirements) throw argError('pip', ctx, 'parameters are mutually exclusive: name|requirements');
    if (a.virtualenv && a.executable) throw argError('pip', ctx, 'parameters are mutually exclusive: executable|virtualenv');
    if (a.version !== undefined && names.length !== 1) throw argError('pip', ctx, 'version is only allowed with one name');
    if (a.version !== undefined && /[<>=!~]/.test(names[0] as string))
      throw argError('pip', ctx, 'version given twice: in name and in version', `use name: ${names[0]} alone, or version: without an operator in name`);
    const reqs = names.map((n, i) => parseRequirement(i === 0 && a.version !== undefined ? `${n}${/^[<>=!~]/.test(a.version) ? '' : '=='}${a.version}` : n));

    const venv = a.virtualenv;
    const venvPip = venv ? `${shellQuote(venv)}/bin/pip` : undefined;
    const found = [
      venv ? `if [ -x ${shellQuote(venv)}/bin/python ]; then echo venv=yes; fi` : '',
      venv ? '' : a.executable ? `echo pip=${shellQuote(a.executable)}` : 'if python3 -m pip --version >/dev/null 2>&1; then echo "pip=python3 -m pip"; elif command -v pip3 >/dev/null; then echo pip=pip3; elif command -v pip >/dev/null; then echo pip=pip; fi',
      a.virtualenv_command || !venv ? '' : 'if command -v virtualenv >/dev/null; then echo virtualenv=yes; fi',
    ].filter(Boolean);
    const head = (await probe(ctx, found.join('; '))).stdout.split('\n');
    const has = (k: string) => head.includes(`${k}=yes`);
    const pip = venvPip ?? head.find((l) => l.startsWith('pip='))?.slice(4);
    if (!pip) return failedOp('pip is not installed on the host: install python3-pip, or give executable / virtualenv');

    const steps: Step[] = [];
    const venvMissing = venv !== undefined && !has('venv');
    if (venvMissing) {
      const base = a.virtualenv_command ?? (has('virtualenv') ? 'virtualenv' : 'python3 -m venv');
      const isVenvModule = /-m\s+venv\b|\bpyvenv\b/.test(base);
      const cmd = isVenvModule && a.virtualenv_python ? base.replace(/^\S*python\S*/, shellQuote(a.virtualenv_python)) : base;
      const flags = [
        a.virtualenv_site_packages ? '--system-site-packages' : '',
        !isVenvModule && a.virtualenv_python ? `-p ${shellQuote(a.virtualenv_python)}` : '',
      ].filter(Boolean);
      steps.push({ kind: 'exec', cmd: `${cmd} ${flags.join(' ')} ${shellQuote(venv)}`.replace(/\s+/g, ' '), description: `create the virtualenv ${venv}` });
    }
    const freeze = `${pip} list --format=freeze --disable-pip-version-check 2>/dev/null || ${pip} freeze --all 2>/dev/null`;
    const installed = venvMissing ? new Map<string, string>() : parseFreeze((await probe(ctx, freeze)).stdout);

    const prefix = `${a.umask ? `umask ${a.umask}; ` : ''}${a.chdir ? `cd ${shellQuote(a.chdir)} && ` : ''}`;
    const extra = [a.break_system_packages ? '--break-system-packages' : '', a.extra_args ?? ''].filter(Boolean).join(' ');
    const args = (list: string[]) => list.map((r) => `${a.editable ? '-e ' : ''}${shellQuote(r)}`).join(' ');
    let install: string | undefined;
    let known = true;
    if (state === 'absent') {
      const there = reqs.filter((r) => r.name && installed.has(normName(r.name))).map((r) => r.name as string);
      if (a.requirements) {
        install = `${pip} uninstall -y ${extra} -r ${shellQuote(a.requirements)}`;
        known = false;
      } else if (there.length) install = `${pip} uninstall -y ${extra} ${there.map(shellQuote).join(' ')}`;
    } else if (a.requirements) {
      install = `${pip} install ${state === 'latest' ? '-U ' : state === 'forcereinstall' ? '-U --force-reinstall ' : ''}${extra} -r ${shellQuote(a.requirements)}`;
      known = false;
    } else if (state === 'present') {
      const todo = reqs.filter((r) => {
        const have = r.name ? installed.get(normName(r.name)) : undefined;
        return have === undefined || !satisfies(have, r.specs);
      });
      if (todo.length) install = `${pip} install ${extra} ${args(todo.map((r) => r.raw))}`;
      if (todo.some((r) => !r.name)) known = false;
    } else {
      install = `${pip} install -U ${state === 'forcereinstall' ? '--force-reinstall ' : ''}${extra} ${args(reqs.map((r) => r.raw))}`;
      known = state === 'forcereinstall';
    }
    const cmd = install?.replace(/\s+/g, ' ').trim();
    if (cmd) {
      const full = known ? `${prefix}${cmd}` : `${prefix}b=$(${freeze}); ${cmd}; rc=$?; [ "$b" = "$(${freeze})" ] && echo ${NOCHANGE}; exit $rc`;
      steps.push({ kind: 'exec', cmd: full, description: `${state === 'absent' ? 'uninstall' : 'install'} ${a.requirements ? `-r ${a.requirements}` : reqs.map((r) => r.raw).join(' ')}${venv ? ` in ${venv}` : ''}` });
    }
    const base: Partial<ModuleResult> = {
      cmd: cmd ?? '',
      name: names,
      requirements: a.requirements ?? null,
      version: a.version ?? null,
      virtualenv: venv ?? null,
      state,
    };
    return {
      changed: steps.length === 0 ? false : known || venvMissing ? true : 'unknown',
      steps,
      result: base,
      finish: (outcomes) => finish(base, outcomes),
    };
  },
};

function finish(base: Partial<ModuleResult>, outcomes: StepOutcome[]): ModuleResult {
  const last = outcomes[outcomes.length - 1];
  const stdout = last?.exec?.stdout ?? '';
  const r: ModuleResult = {
    ...base,
    changed: outcomes.length > 1 || (outcomes.length === 1 && !stdout.includes(NOCHANGE)),
    stdout: stdout.replace(`${NOCHANGE}\n`, ''),
    stderr: last?.exec?.stderr ?? '',
  };
  const bad = outcomes.find((o) => o.error !== undefined);
  if (bad) {
    r.failed = true;
    r.changed = false;
    r.rc = bad.exec?.rc;
    r.msg = `:stderr: ${(bad.exec?.stderr ?? bad.error ?? '').trim()}`;
  }
  return r;
}

registerModule(pipModule);
