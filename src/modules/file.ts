import { shellJoin, shellQuote } from '../connection/quote.js';
import { argError, failedOp, missingNow, pathArg, probe } from './common.js';
import { modeArg } from './copy.js';
import { attrAndTimeSteps } from './file-attrs.js';
import { planHardLink } from './file-hard.js';
import { type SelinuxArgs, selinuxSchema, withSelinux } from './lib/selinux-context.js';
import { recursiveDiffers, symbolicDiffers } from './file-recurse.js';
import { formatMode, targetMode } from './mode.js';
import { registerModule } from './registry.js';
import { parseStat, type RemoteStat, sameOwner, statCommand } from './lib/remote-stat.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * file — the state of a path: file (must exist; sets attributes), directory (mkdir -p), absent (rm -rf),
 * link (symlink to src), touch (create, and set the times: `now` by default, always a change). mode/owner/group
 * apply to the path (and with recurse, to everything under a directory); attributes (chattr), access_time and
 * modification_time to the path itself (file-attrs.ts). One stat probe decides what to do.
 *
 * Returns: path, state (the state asked for), mode/owner/group when given; diff of the state.
 */
export interface FileArgs extends SelinuxArgs {
  path?: string;
  dest?: string;
  name?: string;
  state?: 'file' | 'directory' | 'absent' | 'link' | 'hard' | 'touch';
  mode?: string | number;
  owner?: string;
  group?: string;
  src?: string;
  recurse?: boolean;
  force?: boolean;
  follow?: boolean;
  attributes?: string;
  attr?: string;
  access_time?: string;
  access_time_format?: string;
  modification_time?: string;
  modification_time_format?: string;
}

export const fileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', minLength: 1 },
    dest: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    state: {
      type: 'string',
      enum: ['file', 'directory', 'absent', 'link', 'hard', 'touch'],
    },
    mode: { type: ['string', 'integer'] },
    owner: { type: 'string', minLength: 1 },
    group: { type: 'string', minLength: 1 },
    src: { type: 'string', minLength: 1 },
    recurse: { type: 'boolean' },
    force: { type: 'boolean' },
    follow: { type: 'boolean' },
    attributes: { type: 'string' },
    attr: { type: 'string' },
    access_time: { type: 'string', minLength: 1 },
    access_time_format: { type: 'string', minLength: 1 },
    modification_time: { type: 'string', minLength: 1 },
    modification_time_format: { type: 'string', minLength: 1 },
    ...selinuxSchema,
  },
  anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['name'] }],
};

function stateOf(st: RemoteStat): string {
  if (!st.exists) return 'absent';
  if (st.type === 'directory') return 'directory';
  if (st.type === 'link') return 'link';
  return 'file';
}

function describe(st: RemoteStat): string {
  if (!st.exists) return 'state: absent\n';
  const lines = [`state: ${stateOf(st)}`];
  if (st.mode !== undefined && st.type !== 'link') lines.push(`mode: ${formatMode(st.mode)}`);
  if (st.owner !== undefined) lines.push(`owner: ${st.owner}`, `group: ${st.group}`);
  if (st.lnkTarget !== undefined) lines.push(`src: ${st.lnkTarget}`);
  return `${lines.join('\n')}\n`;
}

export const fileModule: ModuleDef<FileArgs> = {
  name: 'file',
  summary: 'Make a path a file, directory, symlink, or absent; set mode/owner/group',
  schema: fileSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const path = pathArg('file', ctx, 'dest', 'name');
    if (path === '/' && (a.state === 'absent' || a.recurse))
      throw argError('file', ctx, 'refusing to operate on / recursively');
    const mode = modeArg('file', ctx, a.mode);
    const q = shellQuote(path);
    const follow = a.follow ?? true;
    const r = await probe(ctx, statCommand(path, { follow: false, checksum: false }));
    if (r.rc !== 0) throw argError('file', ctx, `cannot stat ${path}: ${r.stderr.trim()}`);
    let st = parseStat(r.stdout);
    const state = a.state ?? (st.exists ? (stateOf(st) as FileArgs['state']) : 'file');
    const steps: Step[] = [];
    const base = { path, state };
    const after = (extra: Partial<RemoteStat>) => describe({ ...st, exists: true, ...extra });

    if ((state === 'link' || state === 'hard') && a.src === undefined)
      throw argError('file', ctx, `src is required for state=${state}`, 'src: the path the link points to');
    if (a.recurse && state !== 'directory') throw argError('file', ctx, 'recurse needs state=directory');

    if (state === 'absent') {
      if (!st.exists)
        return {
          changed: false,
          steps: [],
          result: { changed: false, ...base },
        };
      return {
        changed: true,
        steps: [
          {
            kind: 'exec',
            cmd: `rm -rf -- ${q}`,
            description: `remove ${path}`,
            destructive: `deletes ${path}${st.type === 'directory' ? ' and everything under it' : ''}`,
          },
        ],
        diff: [{ path, before: describe(st), after: 'state: absent\n' }],
        result: base,
      };
    }
    if (state === 'file' && !st.exists) {
      return missingNow(ctx, `file (${path}) is absent, cannot continue`, { path, state }, `${path} does not exist`);
    }
    if (state === 'file' && st.type === 'directory')
      return failedOp(`${path} is a directory, not a file`, { path, state });
    if (state === 'directory' && st.exists && st.type !== 'directory') {
      // a symlink to a directory is fine when following links
      const t =
        st.type === 'link' && follow
          ? parseStat((await probe(ctx, statCommand(path, { follow: true, checksum: false }))).stdout)
          : st;
      if (t.type !== 'directory')
        return failedOp(`${path} exists and is not a directory`, {
          path,
          state,
        });
      st = t;
    }
    if (state === 'link') {
      if (st.exists && st.type !== 'link' && !a.force) {
        return failedOp(`refusing to convert ${path} from ${stateOf(st)} to symlink`, {
          path,
          state,
          hint: 'set force: true to replace it',
        });
      }
      if (st.exists && st.type === 'directory')
        return failedOp(`${path} is a directory; not replacing it with a link`, { path, state });
      if (!st.exists || st.lnkTarget !== a.src) {
        steps.push({
          kind: 'exec',
          cmd: shellJoin(['ln', '-sfn', '--', a.src as string, path]),
          description: `link ${path} -> ${a.src}`,
          ...(st.exists && st.type !== 'link' ? { destructive: `replaces ${path} with a link` } : {}),
        });
        st = { exists: true, type: 'link', lnkTarget: a.src as string };
      }
    }
    if (state === 'hard') {
      const h = await planHardLink(ctx, path, a.src as string, a.force === true, st);
      if (h.kind === 'fail') return h.op;
      steps.push(...h.steps);
      st = h.st;
    }
    if (state === 'directory' && !st.exists) {
      steps.push({
        kind: 'exec',
        cmd: `mkdir -p -- ${q}`,
        description: `create directory ${path}`,
      });
    }
    if (state === 'touch' && !st.exists) {
      steps.push({
        kind: 'exec',
        cmd: `touch -- ${q}`,
        description: `create ${path}`,
      });
    }
    const isDir = state === 'directory';
    const created = steps.length > 0 && !(state === 'touch' && st.exists);
    // attributes
    const curMode = created ? undefined : st.mode;
    const want = mode ? targetMode(mode, curMode ?? (isDir ? 0o755 : 0o644), isDir) : undefined;
    const hflag = state === 'link' ? '-h ' : '';
    if (want !== undefined && state !== 'link' && (created || want !== curMode || a.recurse)) {
      if (a.recurse && mode) {
        const chk =
          mode.kind === 'octal'
            ? await recursiveDiffers(ctx, path, `! -perm ${formatMode(want)}`)
            : await symbolicDiffers(ctx, path, mode.text);
        if (created || want !== curMode || chk)
          steps.push({
            kind: 'exec',
            cmd: `chmod -R ${mode.kind === 'octal' ? formatMode(want) : shellQuote(mode.text)} -- ${q}`,
            description: `mode of ${path} (recursive)`,
          });
      } else
        steps.push({
          kind: 'exec',
          cmd: `chmod ${formatMode(want)} -- ${q}`,
          description: `mode of ${path}`,
        });
    }
    if (a.owner !== undefined || a.group !== undefined) {
      const who = `${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}`;
      let differs = created || !sameOwner(a.owner, st.owner, st.uid) || !sameOwner(a.group, st.group, st.gid);
      if (!differs && a.recurse) {
        const tests = [
          a.owner !== undefined ? `! ${/^\d+$/.test(a.owner) ? '-uid' : '-user'} ${shellQuote(a.owner)}` : '',
          a.group !== undefined ? `! ${/^\d+$/.test(a.group) ? '-gid' : '-group'} ${shellQuote(a.group)}` : '',
        ].filter(Boolean);
        differs = await recursiveDiffers(
          ctx,
          path,
          tests.length > 1 ? `\\( ${tests.join(' -o ')} \\)` : (tests[0] as string),
        );
      }
      if (differs)
        steps.push({
          kind: 'exec',
          cmd: `chown ${a.recurse ? '-R ' : ''}${hflag}${shellQuote(who)} -- ${q}`,
          description: `owner of ${path}`,
        });
    }
    await attrAndTimeSteps(ctx, { path, state, created, st, steps });
    const afterText = after({
      type: isDir ? 'directory' : state === 'link' ? 'link' : 'file',
      ...(want !== undefined && state !== 'link' ? { mode: want } : created ? { mode: isDir ? 0o755 : 0o644 } : {}),
      ...(a.owner !== undefined ? { owner: a.owner } : {}),
      ...(a.group !== undefined ? { group: a.group } : {}),
    });
    return withSelinux(ctx, {
      changed: steps.length > 0,
      steps,
      ...(steps.length
        ? {
            diff: [
              {
                path,
                before: describe(st.exists && !created ? st : { exists: false }),
                after: afterText,
              },
            ],
          }
        : {}),
      result: {
        ...base,
        ...(want !== undefined ? { mode: formatMode(want) } : {}),
        ...(a.owner ? { owner: a.owner } : {}),
        ...(a.group ? { group: a.group } : {}),
      },
    }, path, a);
  },
};

registerModule(fileModule);
