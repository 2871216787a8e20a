import { posix } from 'node:path';
import { shellJoin, shellQuote } from '../../connection/quote.js';
import { argError, failedOp, parseKeyValues, probe } from '../common.js';
import { formatMode, type Mode, targetMode } from '../mode.js';
import { parseStat, type RemoteStat, sameOwner, statCommand } from './remote-stat.js';
import type { FileDiff, ModuleContext, ModuleResult, Operation, Step, StepOutcome } from '../types.js';

/**
 * Writing a whole file, shared by copy, template and lineinfile. One probe (stat + checksums of dest, parent
 * directory); no change when the sha256 matches and the attributes are right. A change is written to a temporary
 * file beside dest, validated if asked, then renamed over dest (atomic: readers never see half a file).
 */

export const DIFF_LIMIT = 64 * 1024;

export type WriteSource =
  | { kind: 'content'; data: Buffer }
  | { kind: 'local'; path: string }
  | { kind: 'remote'; path: string };

export interface WriteSpec {
  module: string;
  dest: string;
  source: WriteSource;
  /** sha256 / sha1 (hex) and size of the new content. */
  sha256: string;
  sha1: string;
  size: number;
  /** The new content as text, for the diff (omit for binary or unknown content). */
  text?: string;
  mode?: Mode;
  owner?: string;
  group?: string;
  backup?: boolean;
  /** false: leave an existing dest alone (copy's force: no). Default true. */
  force?: boolean;
  /** Follow a symlink at dest and write its target (default: replace the link, as Ansible). */
  follow?: boolean;
  /** Create missing parent directories (lineinfile create). Default: fail when the parent is missing. */
  makeParents?: boolean;
  /** Command run on the temporary file before it replaces dest; `%s` is the temporary file's path. */
  validate?: string;
  /** Extra values for the result (src, …). */
  extra?: Record<string, unknown>;
  /** Already-known stat of dest (lineinfile reads the file first). */
  known?: DestFacts & { before?: string };
}

/** Probe dest: stat (following links, with checksums) plus whether its parent directory exists. */
export interface DestFacts {
  stat: RemoteStat;
  parentExists: boolean;
  /** The probe (and so the write) runs as root: an existing file's owner and group can be kept. */
  root: boolean;
}

/** Shell that prints `parent=1` when dest's directory exists and `self_uid=N` (the effective user). */
export function destExtrasCommand(dest: string): string {
  return `if [ -d ${shellQuote(posix.dirname(dest))} ]; then echo parent=1; fi; echo self_uid=$(id -u)`;
}

export function parseDestExtras(stdout: string): Omit<DestFacts, 'stat'> {
  const kv = parseKeyValues(stdout);
  return { parentExists: kv.get('parent') === '1', root: kv.get('self_uid') === '0' };
}

export async function probeDest(ctx: ModuleContext<unknown>, dest: string, module = 'copy'): Promise<DestFacts> {
  const r = await probe(ctx, `(${statCommand(dest, { follow: true })}); ${destExtrasCommand(dest)}`);
  if (r.rc !== 0)
    throw argError(
      module,
      ctx,
      `could not stat ${dest}: ${r.stderr.trim()}`,
      'check the path and permissions (become)',
    );
  return { stat: parseStat(r.stdout), ...parseDestExtras(r.stdout) };
}

async function readSmall(ctx: ModuleContext<unknown>, path: string): Promise<string | undefined> {
  const r = await probe(ctx, `head -c ${DIFF_LIMIT + 1} -- ${shellQuote(path)}`);
  if (r.rc !== 0 || r.stdout.length > DIFF_LIMIT || r.stdout.includes('\0')) return undefined;
  return r.stdout;
}

/** Plan mode: does a step an earlier task plans on this host create `dir` (`mkdir -p` of it or below it)? */
export function createdEarlier(earlier: readonly Step[] | undefined, dir: string): boolean {
  const exact = `mkdir -p -- ${shellQuote(dir)}`;
  const below = `mkdir -p -- ${dir}/`;
  return (earlier ?? []).some((s) => s.kind === 'exec' && (s.cmd === exact || s.cmd.startsWith(below)));
}

export async function planWrite(ctx: ModuleContext<unknown>, spec: WriteSpec): Promise<Operation> {
  const { stat: st, parentExists, root } = spec.known ?? (await probeDest(ctx, spec.dest, spec.module));
  if (st.exists && st.type === 'directory') {
    return failedOp(`${spec.module}: destination ${spec.dest} is a directory`, {
      dest: spec.dest,
    });
  }
  // dest was stat'ed following links: lnkSource is set when dest itself is a symlink.
  const dest = st.exists && spec.follow && st.lnkSource ? st.lnkSource : spec.dest;
  const parent = posix.dirname(dest);
  let pending: string | undefined;
  if (!parentExists && !spec.makeParents) {
    const msg = `${spec.module}: destination directory ${parent} does not exist`;
    if (!ctx.check)
      return failedOp(msg, { dest: spec.dest, hint: 'create it first with the file module (state: directory)' });
    // Plan: an earlier task may create the directory; show the write it would then do.
    if (!createdEarlier(ctx.earlierSteps, parent))
      pending = `${msg} yet; the run fails unless an earlier task creates it`;
  }
  const sameContent = st.exists && st.sha256 === spec.sha256;
  const write = !sameContent && !(spec.force === false && st.exists);
  const curMode = st.exists ? st.mode : undefined;
  const wantMode = spec.mode ? targetMode(spec.mode, curMode, false) : undefined;
  const steps: Step[] = [];
  const q = shellQuote(dest);

  if (write) {
    const tmp = posix.join(parent, `.${posix.basename(dest)}.lifeboat-${spec.sha256.slice(0, 12)}.tmp`);
    const qt = shellQuote(tmp);
    // Keep an existing file's mode and (when root) its owner, as Ansible's atomic move does.
    const mode = wantMode ?? (st.exists ? curMode : undefined);
    const owner = spec.owner ?? (st.exists && root ? st.owner : undefined);
    const group = spec.group ?? (st.exists && root ? st.group : undefined);
    if (!parentExists && spec.makeParents)
      steps.push({
        kind: 'exec',
        cmd: `mkdir -p -- ${shellQuote(parent)}`,
        description: `create ${parent}`,
      });
    if (spec.backup && st.exists) {
      steps.push({
        kind: 'exec',
        cmd: `b=${q}.$$.$(date +%Y-%m-%d@%H:%M:%S)~ && cp -p -- ${q} "$b" && echo "backup_file=$b"`,
        description: `back up ${dest}`,
      });
    }
    const replaces = st.exists ? { destructive: `replaces ${dest}${spec.backup ? ' (backup kept)' : ''}` } : {};
    // The connection's put is atomic (temporary file beside dest, then rename). A remote copy or a validated
    // write goes through our own temporary file so that dest only ever holds a whole, checked file.
    const direct = spec.source.kind !== 'remote' && !spec.validate;
    const target = direct ? dest : tmp;
    if (spec.source.kind === 'remote') {
      const attrs: string[] = [`cp -f -- ${shellQuote(spec.source.path)} ${qt}`];
      if (mode !== undefined) attrs.push(`chmod ${formatMode(mode)} -- ${qt}`);
      if (owner !== undefined || group !== undefined)
        attrs.push(`chown ${shellQuote(`${owner ?? ''}${group !== undefined ? `:${group}` : ''}`)} -- ${qt}`);
      steps.push({
        kind: 'exec',
        cmd: `${attrs.join(' && ')} || { rc=$?; rm -f -- ${qt}; exit $rc; }`,
        description: `copy ${spec.source.path} to ${tmp}`,
      });
    } else {
      steps.push({
        kind: 'put',
        dest: target,
        ...(spec.source.kind === 'content'
          ? { content: spec.source.data.toString('utf8') }
          : { src: spec.source.path }),
        ...(mode !== undefined ? { mode } : {}),
        ...(owner !== undefined ? { owner } : {}),
        ...(group !== undefined ? { group } : {}),
        description: direct
          ? `${st.exists ? 'replace' : 'create'} ${dest} (${spec.size} bytes)`
          : `upload ${spec.size} bytes to ${tmp}`,
        ...(direct ? replaces : {}),
      });
    }
    if (spec.validate) {
      const vcmd = spec.validate.includes('%s') ? spec.validate.split('%s').join(qt) : `${spec.validate} ${qt}`;
      steps.push({
        kind: 'exec',
        cmd: `${vcmd} || { rc=$?; rm -f -- ${qt}; exit $rc; }`,
        description: `validate ${tmp}`,
      });
    }
    if (!direct) {
      steps.push({
        kind: 'exec',
        cmd: shellJoin(['mv', '-f', '--', tmp, dest]),
        description: `${st.exists ? 'replace' : 'create'} ${dest}`,
        ...replaces,
      });
    }
  } else if (st.exists) {
    if (wantMode !== undefined && wantMode !== curMode) {
      steps.push({
        kind: 'exec',
        cmd: `chmod ${formatMode(wantMode)} -- ${q}`,
        description: `mode of ${dest}`,
      });
    }
    const ownerOk = sameOwner(spec.owner, st.owner, st.uid);
    const groupOk = sameOwner(spec.group, st.group, st.gid);
    if (!ownerOk || !groupOk) {
      const who = `${ownerOk ? '' : (spec.owner ?? '')}${groupOk ? '' : `:${spec.group ?? ''}`}`;
      steps.push({
        kind: 'exec',
        cmd: `chown ${shellQuote(who)} -- ${q}`,
        description: `owner of ${dest}`,
      });
    }
  }

  let diff: FileDiff[] | undefined;
  if (write && spec.text !== undefined && spec.size <= DIFF_LIMIT) {
    const before = spec.known?.before ?? (st.exists ? await readSmall(ctx, dest) : '');
    if (before !== undefined) diff = [{ path: dest, before, after: spec.text }];
  }
  const base: Partial<ModuleResult> = {
    dest,
    checksum: spec.sha1,
    sha256: spec.sha256,
    size: spec.size,
    ...(wantMode !== undefined
      ? { mode: formatMode(wantMode) }
      : curMode !== undefined
        ? { mode: formatMode(curMode) }
        : {}),
    ...(spec.extra ?? {}),
  };
  return {
    changed: pending ? 'unknown' : steps.length > 0,
    steps,
    ...(pending ? { notes: [pending] } : {}),
    ...(diff ? { diff } : {}),
    result: { ...base, changed: false },
    finish: (outcomes) => writeResult(base, outcomes, diff),
  };
}

function writeResult(base: Partial<ModuleResult>, outcomes: StepOutcome[], diff: FileDiff[] | undefined): ModuleResult {
  const r: ModuleResult = { ...base, changed: outcomes.length > 0 };
  for (const o of outcomes) {
    const b = o.exec ? parseKeyValues(o.exec.stdout).get('backup_file') : undefined;
    if (b) r.backup_file = b;
  }
  if (diff) r.diff = diff;
  const failed = outcomes.find((o) => o.error !== undefined);
  if (failed) {
    r.failed = true;
    const detail = (failed.exec?.stderr || failed.exec?.stdout || '').trim();
    r.msg = `${failed.error}${detail ? `: ${detail}` : ''}`;
    if (failed.exec) r.rc = failed.exec.rc;
  }
  return r;
}
