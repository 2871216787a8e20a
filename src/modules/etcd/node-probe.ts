import { shellJoin, shellQuote } from '../../connection/quote.js';
import type { Connection } from '../../connection/types.js';
import type { DirState } from './restore-steps.js';

/** Small read-only probes and service commands shared by restore, rollback and preflight. */

/** For each path: exists, mount point, owner; and free bytes on the filesystem that holds it (or its parent). */
export function dirStateScript(paths: string[]): string {
  return `for d in ${shellJoin(paths)}; do
  e=no; m=no; o=-; f=-
  [ -d "$d" ] && { e=yes; o=$(stat -c %U "$d"); }
  mountpoint -q "$d" 2>/dev/null && m=yes
  p="$d"; while [ ! -e "$p" ] && [ "$p" != / ]; do p=$(dirname "$p"); done
  f=$(df -P -B1 "$p" 2>/dev/null | awk 'NR==2 {print $4}')
  printf 'DIR %s %s %s %s %s\\n' "$e" "$m" "$o" "\${f:--}" "$d"
done`;
}

export interface DirInfo extends DirState {
  owner?: string;
  freeBytes?: number;
}

export function parseDirStates(out: string): Map<string, DirInfo> {
  const m = new Map<string, DirInfo>();
  for (const line of out.split('\n')) {
    const r = /^DIR (yes|no) (yes|no) (\S+) (\S+) (.+)$/.exec(line);
    if (!r) continue;
    const path = r[5] as string;
    m.set(path, {
      path,
      exists: r[1] === 'yes',
      mountpoint: r[2] === 'yes',
      ...(r[3] !== '-' ? { owner: r[3] as string } : {}),
      ...(r[4] !== '-' ? { freeBytes: Number(r[4]) } : {}),
    });
  }
  return m;
}

export async function probeDirs(conn: Connection, paths: string[], become: boolean): Promise<Map<string, DirInfo>> {
  const r = await conn.exec(dirStateScript(paths), { become });
  return parseDirStates(r.stdout);
}

/** `systemctl ACTION NAME` on systemd hosts, else `service NAME ACTION` (init scripts, as Ansible's service module). */
export function serviceCmd(name: string, action: 'start' | 'stop' | 'restart'): string {
  return `if [ -d /run/systemd/system ]; then ${shellJoin(['systemctl', action, name])}; else ${shellJoin(['service', name, action])}; fi`;
}

export function readFileCmd(path: string): string {
  return `cat ${shellQuote(path)} 2>/dev/null || true`;
}
