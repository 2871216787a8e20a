import { shellJoin, shellQuote } from '../connection/quote.js';
import { argError, probe } from './common.js';
import type { ModuleContext, Step } from './types.js';

/**
 * `file` (and friends): `attributes` (chattr/lsattr) and `access_time` / `modification_time` (`now`,
 * `preserve`, or a timestamp in `*_time_format`, read in the host's local time zone as Ansible reads it).
 */

/** lsattr flags chattr cannot set or clear (extents, encrypted, indexed, inline data, compressed, huge, verity). */
const READ_ONLY_FLAGS = new Set(['e', 'E', 'I', 'N', 'Z', 'h', 'V']);

export interface AttrSpec {
  op: '=' | '+' | '-';
  flags: string[];
}

/** `+i`, `-ia`, `=i`, `i` (= is assumed, as in Ansible), `''` or `=` (clear every settable flag). */
export function parseAttributes(text: string): AttrSpec {
  const t = text.trim();
  const first = t[0];
  const op = first === '+' || first === '-' || first === '=' ? first : '=';
  const rest = op === first ? t.slice(1) : t;
  if (!/^[a-zA-Z]*$/.test(rest)) throw new Error(`attributes '${text}' must be letters, optionally after + - or =`);
  return { op, flags: [...new Set(rest.split(''))] };
}

/** The flag letters of one `lsattr -d` line (`----i---------e------- /path`). */
export function parseLsattr(line: string): Set<string> {
  const word = line.trim().split(/\s+/)[0] ?? '';
  return new Set(word.split('').filter((c) => c !== '-'));
}

/** The chattr argument that brings `cur` to what `spec` asks, or undefined when nothing changes. */
export function attrChange(spec: AttrSpec, cur: Set<string>): string | undefined {
  const want = spec.flags.filter((f) => !READ_ONLY_FLAGS.has(f));
  if (spec.op === '+') return want.some((f) => !cur.has(f)) ? `+${want.join('')}` : undefined;
  if (spec.op === '-') return want.some((f) => cur.has(f)) ? `-${want.join('')}` : undefined;
  const settable = [...cur].filter((f) => !READ_ONLY_FLAGS.has(f));
  const same = settable.length === want.length && want.every((f) => cur.has(f));
  return same ? undefined : `=${want.join('')}`;
}

/** The chattr step for `attributes`, after probing the current flags (undefined: already right), and whether it goes last. */
export async function attributesStep(
  ctx: ModuleContext<unknown>,
  module: string,
  path: string,
  text: string,
  created: boolean,
): Promise<{ step: Step; last: boolean } | undefined> {
  let spec: AttrSpec;
  try {
    spec = parseAttributes(text);
  } catch (e) {
    throw argError(module, ctx, (e as Error).message, "e.g. attributes: '+i' (immutable) or '-i'");
  }
  let cur = new Set<string>();
  if (!created) {
    const r = await probe(ctx, `lsattr -d -- ${shellQuote(path)}`);
    if (r.rc !== 0)
      throw argError(
        module,
        ctx,
        `cannot read the attributes of ${path}: ${(r.stderr || r.stdout).trim()}`,
        'attributes need lsattr/chattr (e2fsprogs) and a file system that has them',
      );
    cur = parseLsattr(r.stdout);
  }
  const arg = attrChange(spec, cur);
  if (arg === undefined || (created && arg === '=')) return undefined;
  // +i / +a forbid every other change: such a chattr runs after them (and any other after a creation)
  const last = created || (arg[0] !== '-' && /[ia]/.test(arg));
  const step: Step = { kind: 'exec', cmd: shellJoin(['chattr', arg, '--', path]), description: `attributes ${arg} of ${path}` };
  return { step, last };
}

/** A `*_time` argument: now, preserve, or a point in time given as its fields (host-local time). */
export type TimeSpec = { kind: 'now' } | { kind: 'preserve' } | { kind: 'at'; stamp: string; iso: string };

const DEFAULT_FORMAT = '%Y%m%d%H%M.%S';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * strptime for the directives timestamps use: %Y %y %m %d %H %M %S %b %% (and %-less literal text). Gives
 * `touch -t` text (CCYYMMDDhhmm.SS) and the `date -d` form, both read in the host's time zone.
 */
export function parseTimestamp(value: string, format = DEFAULT_FORMAT): { stamp: string; iso: string } {
  const f: Record<'Y' | 'm' | 'd' | 'H' | 'M' | 'S', number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  let i = 0;
  const bad = (why: string) => new Error(`timestamp '${value}' does not match format '${format}' (${why})`);
  const num = (max: number, key: string) => {
    const m = /^\d+/.exec(value.slice(i, i + max));
    if (!m) throw bad(`%${key} expects digits at position ${i + 1}`);
    i += m[0].length;
    return Number(m[0]);
  };
  for (let k = 0; k < format.length; k++) {
    const c = format[k];
    if (c !== '%') {
      if (value[i] !== c) throw bad(`expected '${c}' at position ${i + 1}`);
      i++;
      continue;
    }
    const d = format[++k];
    if (d === 'Y') f.Y = num(4, 'Y');
    else if (d === 'y') {
      const y = num(2, 'y');
      f.Y = y < 69 ? 2000 + y : 1900 + y;
    } else if (d === 'm' || d === 'd' || d === 'H' || d === 'M' || d === 'S') f[d] = num(2, d);
    else if (d === 'b') {
      const idx = MONTHS.indexOf(value.slice(i, i + 3).toLowerCase());
      if (idx < 0) throw bad(`%b expects a month name at position ${i + 1}`);
      f.m = idx + 1;
      i += 3;
    } else if (d === '%') {
      if (value[i] !== '%') throw bad(`expected '%' at position ${i + 1}`);
      i++;
    } else throw new Error(`format '${format}': %${d ?? ''} is not supported (use %Y %y %m %d %H %M %S %b)`);
  }
  if (i !== value.length) throw bad(`unexpected '${value.slice(i)}'`);
  const ok = f.m >= 1 && f.m <= 12 && f.d >= 1 && f.d <= 31 && f.H <= 23 && f.M <= 59 && f.S <= 61;
  if (!ok) throw bad('a field is out of range');
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    stamp: `${p(f.Y, 4)}${p(f.m)}${p(f.d)}${p(f.H)}${p(f.M)}.${p(f.S)}`,
    iso: `${p(f.Y, 4)}-${p(f.m)}-${p(f.d)} ${p(f.H)}:${p(f.M)}:${p(f.S)}`,
  };
}

export function timeSpec(
  module: string,
  ctx: { host: string },
  value: string | undefined,
  format: string | undefined,
  dflt: 'now' | 'preserve',
): TimeSpec {
  const v = value ?? dflt;
  if (v === 'now' || v === 'preserve') return { kind: v };
  try {
    return { kind: 'at', ...parseTimestamp(v, format) };
  } catch (e) {
    throw argError(module, ctx, (e as Error).message, `write it as ${format ?? DEFAULT_FORMAT} (e.g. 202401311200.00), 'now' or 'preserve'`);
  }
}

/**
 * The touch steps for access_time / modification_time. `cur` holds the current epoch seconds (undefined when
 * the path is created by this task: a timestamp is then always set). A timestamp is turned into epoch seconds
 * on the host (`date -d`, host time zone) to compare with stat.
 */
export async function timeSteps(
  ctx: ModuleContext<unknown>,
  path: string,
  atime: TimeSpec,
  mtime: TimeSpec,
  cur: { atime?: number; mtime?: number } | undefined,
  link: boolean,
): Promise<Step[]> {
  const h = link ? ['-h'] : [];
  const epochOf = async (t: TimeSpec & { kind: 'at' }) => {
    const r = await probe(ctx, `date -d ${shellQuote(t.iso)} +%s`);
    const n = Number(r.stdout.trim());
    if (r.rc !== 0 || !Number.isFinite(n)) throw argError('file', ctx, `the host cannot read the time ${t.iso}: ${r.stderr.trim()}`);
    return n;
  };
  const wants: { flag: '-a' | '-m'; t: TimeSpec; now?: number }[] = [
    { flag: '-a', t: atime, ...(cur?.atime !== undefined ? { now: cur.atime } : {}) },
    { flag: '-m', t: mtime, ...(cur?.mtime !== undefined ? { now: cur.mtime } : {}) },
  ];
  const nowFlags: string[] = [];
  const steps: Step[] = [];
  for (const w of wants) {
    if (w.t.kind === 'now') nowFlags.push(w.flag);
    else if (w.t.kind === 'at' && (w.now === undefined || (await epochOf(w.t)) !== w.now))
      steps.push({
        kind: 'exec',
        cmd: shellJoin(['touch', ...h, '-c', w.flag, '-t', w.t.stamp, '--', path]),
        description: `${w.flag === '-a' ? 'access' : 'modification'} time of ${path} = ${w.t.iso}`,
      });
  }
  if (nowFlags.length) {
    const flags = nowFlags.length === 2 ? [] : nowFlags;
    steps.unshift({ kind: 'exec', cmd: shellJoin(['touch', ...h, '-c', ...flags, '--', path]), description: `touch ${path}` });
  }
  return steps;
}

export interface AttrTimeArgs {
  attributes?: string;
  attr?: string;
  access_time?: string;
  access_time_format?: string;
  modification_time?: string;
  modification_time_format?: string;
}

/**
 * file's attributes and times, added to the steps already planned for `path`: a chattr that removes i/a first,
 * one that adds them last; `now` (the touch default) is already satisfied by a file this task creates with touch.
 */
export async function attrAndTimeSteps(
  ctx: ModuleContext<AttrTimeArgs>,
  p: { path: string; state: string | undefined; created: boolean; st: { atime?: number; mtime?: number }; steps: Step[] },
): Promise<void> {
  const a = ctx.args;
  const dflt = p.state === 'touch' ? 'now' : 'preserve';
  const atime = timeSpec('file', ctx, a.access_time, a.access_time_format, dflt);
  const mtime = timeSpec('file', ctx, a.modification_time, a.modification_time_format, dflt);
  const text = a.attributes ?? a.attr;
  const attrs = text === undefined ? undefined : await attributesStep(ctx, 'file', p.path, text, p.created);
  if (attrs && !attrs.last) p.steps.unshift(attrs.step);
  const fresh = p.created && p.state === 'touch';
  const cur = p.created ? undefined : { ...(p.st.atime !== undefined ? { atime: p.st.atime } : {}), ...(p.st.mtime !== undefined ? { mtime: p.st.mtime } : {}) };
  const keep = (t: TimeSpec): TimeSpec => (fresh && t.kind === 'now' ? { kind: 'preserve' } : t);
  p.steps.push(...(await timeSteps(ctx, p.path, keep(atime), keep(mtime), cur, p.state === 'link')));
  if (attrs?.last) p.steps.push(attrs.step);
}
