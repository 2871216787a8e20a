import { shellJoin, shellQuote } from '../connection/quote.js';
import { argError, parseKeyValues, probe } from './common.js';
import { editFstab, type FstabEntry } from './lib/fstab.js';
import { planWrite } from './lib/write-file.js';
import { digestBuffer } from './local-files.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * mount (ansible.posix) — a mount point's fstab line and whether it is mounted now. One probe reads fstab and
 * findmnt's view of `path`. present: the fstab line; mounted: the line, the directory, and mounted (remounted
 * when the line changed, mounted again when another file system is there); unmounted: umount only; absent:
 * umount, the line removed, the empty mount point removed; remounted: `mount -o remount` (always a change).
 *
 * Returns: name, src, fstype, opts, dump, passno, fstab; diff of fstab.
 */
export interface MountArgs {
  path?: string;
  name?: string;
  src?: string;
  fstype?: string;
  opts?: string;
  dump?: string | number;
  passno?: string | number;
  state: 'mounted' | 'present' | 'unmounted' | 'absent' | 'remounted';
  fstab?: string;
  backup?: boolean;
  boot?: boolean;
}

export const mountSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['state'],
  properties: {
    path: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    src: { type: 'string', minLength: 1 },
    fstype: { type: 'string', minLength: 1 },
    opts: { type: 'string', minLength: 1 },
    dump: { type: ['string', 'integer'] },
    passno: { type: ['string', 'integer'] },
    state: { type: 'string', enum: ['mounted', 'present', 'unmounted', 'absent', 'remounted'] },
    fstab: { type: 'string', minLength: 1 },
    backup: { type: 'boolean' },
    boot: { type: 'boolean' },
  },
  anyOf: [{ required: ['path'] }, { required: ['name'] }],
};

const MARK = '--lifeboat-fstab--';

export const mountModule: ModuleDef<MountArgs> = {
  name: 'mount',
  summary: 'A mount point: its fstab line and whether it is mounted (mount/umount)',
  schema: mountSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const path = (a.path ?? a.name ?? '').replace(/(.)\/+$/, '$1');
    const fstab = a.fstab ?? '/etc/fstab';
    const q = shellQuote(path);
    if ((a.state === 'mounted' || a.state === 'present') && (a.src === undefined || a.fstype === undefined))
      throw argError('mount', ctx, `state=${a.state} needs src and fstype`, 'e.g. src: tmpfs, fstype: tmpfs');
    let opts = a.opts ?? 'defaults';
    if (a.boot === false && !opts.split(',').includes('noauto')) opts = opts === 'defaults' ? 'noauto' : `${opts},noauto`;
    const r = await probe(
      ctx,
      `if m=$(findmnt -n -r -o SOURCE,FSTYPE --mountpoint ${q} 2>/dev/null); then echo mounted=1; echo "cur=$(printf '%s\\n' "$m" | tail -n 1)"; fi; [ -d ${q} ] && echo dir=1; echo ${MARK}; cat -- ${shellQuote(fstab)} 2>/dev/null; exit 0`,
    );
    const at = r.stdout.indexOf(`${MARK}\n`);
    if (at < 0) throw argError('mount', ctx, `cannot read ${fstab}: ${r.stderr.trim()}`);
    const kv = parseKeyValues(r.stdout.slice(0, at));
    const before = r.stdout.slice(at + MARK.length + 1);
    const mounted = kv.get('mounted') === '1';
    const [curSrc = '', curType = ''] = (kv.get('cur') ?? '').split(' ');
    const entry: FstabEntry | undefined =
      a.src !== undefined && a.fstype !== undefined
        ? { src: a.src, path, fstype: a.fstype, opts, dump: String(a.dump ?? 0), passno: String(a.passno ?? 0) }
        : undefined;
    const result = {
      name: path,
      fstab,
      ...(entry ? { src: entry.src, fstype: entry.fstype, opts, dump: entry.dump, passno: entry.passno } : {}),
    };
    const steps: Step[] = [];
    let diff: Operation['diff'];
    let fstabChanged = false;
    const editTo = async (want: FstabEntry | undefined) => {
      const e = editFstab(before, path, want);
      if (!e.changed) return;
      fstabChanged = true;
      const data = Buffer.from(e.text, 'utf8');
      const w = await planWrite(ctx, {
        module: 'mount',
        dest: fstab,
        source: { kind: 'content', data },
        ...digestBuffer(data),
        text: e.text,
        ...(a.backup ? { backup: true } : {}),
        makeParents: true,
      });
      steps.push(...w.steps);
      diff = w.diff;
    };
    const umount = { kind: 'exec', cmd: `umount -- ${q}`, description: `unmount ${path}`, destructive: `unmounts ${path}` } as const;
    const mountCmd = (e: FstabEntry) => shellJoin(['mount', '-t', e.fstype, '-o', e.opts, '--', e.src, path]);
    if (a.state === 'present' || a.state === 'mounted') await editTo(entry);
    if (a.state === 'mounted' && entry) {
      if (kv.get('dir') !== '1') steps.push({ kind: 'exec', cmd: `mkdir -p -- ${q}`, description: `create ${path}` });
      const bind = entry.fstype === 'none' || entry.opts.split(',').some((o) => o === 'bind' || o === 'rbind');
      const other = mounted && !bind && (curType !== entry.fstype || (entry.src !== curSrc && !/^(UUID|LABEL|PARTUUID)=/.test(entry.src)));
      if (!mounted) steps.push({ kind: 'exec', cmd: mountCmd(entry), description: `mount ${entry.src} on ${path}` });
      else if (other) steps.push(umount, { kind: 'exec', cmd: mountCmd(entry), description: `mount ${entry.src} on ${path} (was ${curSrc} ${curType})` });
      else if (fstabChanged)
        steps.push({ kind: 'exec', cmd: shellJoin(['mount', '-o', `remount,${entry.opts}`, '--', path]), description: `remount ${path} with ${entry.opts}` });
    }
    if ((a.state === 'unmounted' || a.state === 'absent') && mounted) steps.push(umount);
    if (a.state === 'absent') {
      await editTo(undefined);
      if (kv.get('dir') === '1') steps.push({ kind: 'exec', cmd: `rmdir -- ${q} 2>/dev/null || true`, description: `remove the mount point ${path} if empty` });
    }
    if (a.state === 'remounted') {
      if (!mounted && !ctx.check) return { changed: false, steps: [], result: { changed: false, failed: true, msg: `${path} is not mounted`, ...result } };
      steps.push({ kind: 'exec', cmd: shellJoin(['mount', '-o', a.opts ? `remount,${a.opts}` : 'remount', '--', path]), description: `remount ${path}` });
    }
    // the rmdir of an already absent mount point is no change on its own
    const real = steps.filter((s) => !(s.kind === 'exec' && s.cmd.startsWith('rmdir') && !mounted && !fstabChanged));
    return { changed: real.length > 0, steps: real, ...(diff ? { diff } : {}), result };
  },
};

registerModule(mountModule);
