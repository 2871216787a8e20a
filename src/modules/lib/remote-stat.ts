import { shellQuote } from '../../connection/quote.js';
import { parseKeyValues } from '../common.js';

/** What one probe tells about a remote path (GNU stat; every Linux the project targets has it). */
export interface RemoteStat {
  exists: boolean;
  type?: 'file' | 'directory' | 'link' | 'block' | 'char' | 'fifo' | 'socket' | 'other';
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  mtime?: number;
  atime?: number;
  ctime?: number;
  inode?: number;
  dev?: number;
  nlink?: number;
  /** For a symlink: where it points (as written) and the resolved absolute path. */
  lnkTarget?: string;
  lnkSource?: string;
  sha1?: string;
  sha256?: string;
  readable?: boolean;
  writeable?: boolean;
  executable?: boolean;
}

export interface StatOptions {
  /** Follow a symlink (report the target). Default false: report the link itself. */
  follow?: boolean;
  /** Compute sha1 and sha256 of a regular file. Default true. */
  checksum?: boolean;
}

/** One shell command that prints `key=value` lines about `path`; always exits 0 unless the shell itself fails. */
export function statCommand(path: string, opts: StatOptions = {}): string {
  const p = shellQuote(path);
  const L = opts.follow ? '-L ' : '';
  const fmt =
    'type=%F\\nsize=%s\\nmode=%a\\nuid=%u\\ngid=%g\\nowner=%U\\ngroup=%G\\nmtime=%Y\\natime=%X\\nctime=%Z\\ninode=%i\\ndev=%d\\nnlink=%h\\n';
  const parts = [
    `p=${p}`,
    'if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo exists=0; exit 0; fi',
    'echo exists=1',
    `stat ${L}--printf '${fmt}' -- "$p" || exit 1`,
    'if [ -L "$p" ]; then printf "lnk_target=%s\\n" "$(readlink -- "$p")"; printf "lnk_source=%s\\n" "$(readlink -f -- "$p")"; fi',
    '[ -r "$p" ] && echo readable=1; [ -w "$p" ] && echo writeable=1; [ -x "$p" ] && echo executable=1',
  ];
  if (opts.checksum !== false) {
    const test = opts.follow ? '[ -f "$p" ]' : '[ -f "$p" ] && [ ! -L "$p" ]';
    parts.push(
      `if ${test} && [ -r "$p" ]; then s=$(sha1sum -- "$p") && echo "sha1=\${s%% *}"; s=$(sha256sum -- "$p") && echo "sha256=\${s%% *}"; fi`,
    );
  }
  parts.push('exit 0');
  return parts.join('; ');
}

const TYPES: Record<string, RemoteStat['type']> = {
  'regular file': 'file',
  'regular empty file': 'file',
  directory: 'directory',
  'symbolic link': 'link',
  'block special file': 'block',
  'character special file': 'char',
  fifo: 'fifo',
  socket: 'socket',
};

export function parseStat(stdout: string): RemoteStat {
  const kv = parseKeyValues(stdout);
  if (kv.get('exists') !== '1') return { exists: false };
  const num = (k: string): number | undefined => {
    const v = kv.get(k);
    return v === undefined || v === '' ? undefined : Number(v);
  };
  const st: RemoteStat = {
    exists: true,
    type: TYPES[kv.get('type') ?? ''] ?? 'other',
  };
  const m = kv.get('mode');
  if (m !== undefined) st.mode = Number.parseInt(m, 8);
  for (const [k, f] of [
    ['size', 'size'],
    ['uid', 'uid'],
    ['gid', 'gid'],
    ['mtime', 'mtime'],
    ['atime', 'atime'],
    ['ctime', 'ctime'],
    ['inode', 'inode'],
    ['dev', 'dev'],
    ['nlink', 'nlink'],
  ] as const) {
    const v = num(k);
    if (v !== undefined) st[f] = v;
  }
  const str = (k: string) => kv.get(k);
  if (str('owner') !== undefined) st.owner = str('owner') as string;
  if (str('group') !== undefined) st.group = str('group') as string;
  if (str('lnk_target') !== undefined) st.lnkTarget = str('lnk_target') as string;
  if (str('lnk_source') !== undefined) st.lnkSource = str('lnk_source') as string;
  if (str('sha1')) st.sha1 = str('sha1') as string;
  if (str('sha256')) st.sha256 = str('sha256') as string;
  st.readable = kv.get('readable') === '1';
  st.writeable = kv.get('writeable') === '1';
  st.executable = kv.get('executable') === '1';
  return st;
}

/** Does an owner/group argument (name or numeric id) match what stat reported? */
export function sameOwner(want: string | undefined, name: string | undefined, id: number | undefined): boolean {
  if (want === undefined) return true;
  if (/^\d+$/.test(want)) return Number(want) === id;
  return want === name;
}
