/**
 * Where roles are looked for: `<playbook dir>/roles`, the directory of the role that depends on it (sibling
 * roles), Lifeboat's own `roles/` at the package root, then `--roles-path` entries, then
 * `LIFEBOAT_ROLES_PATH` (colon-separated).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory of Lifeboat's package.json (works from src/ under tsx and from dist/). */
export function packageRoot(): string {
  root ??= findPackageRoot();
  return root;
}

function findPackageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'lifeboat') return dir;
      } catch {
        // not ours: keep going up
      }
    }
    const up = dirname(dir);
    if (up === dir) return resolve(here, '..', '..');
    dir = up;
  }
}

/** `a:b::c` → ['a', 'b', 'c'] (empty entries dropped). */
export function splitRolesPath(value: string | undefined): string[] {
  return (value ?? '').split(':').filter((s) => s.trim() !== '');
}

export function roleSearchPath(playbookDir: string, rolesPath: readonly string[] = []): string[] {
  const dirs = [
    join(playbookDir, 'roles'),
    join(packageRoot(), 'roles'),
    ...rolesPath.flatMap(splitRolesPath),
    ...splitRolesPath(process.env.LIFEBOAT_ROLES_PATH),
  ].map((d) => resolve(d));
  return [...new Set(dirs)];
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The directory of role `name`: a path (`./x`, `/x`) relative to `baseDir`, or a name looked up in
 * `extraDirs` (the depending role's parent) then `searchPath`. A name with a `/` in it (`kubernetes/node`,
 * `etcd3/backups/cron`) is first a path relative to `baseDir`, then looked up on the search path like any
 * other name, as Ansible does (roles grouped in sub-directories of a roles directory).
 */
export function findRole(name: string, baseDir: string, searchPath: readonly string[], extraDirs: string[] = []): string | undefined {
  if (name.includes('/')) {
    const p = isAbsolute(name) ? name : resolve(baseDir, name);
    if (isDir(p) || isAbsolute(name) || name.startsWith('./') || name.startsWith('../')) return isDir(p) ? p : undefined;
  }
  const [first, ...rest] = searchPath;
  for (const d of [...(first ? [first] : []), ...extraDirs, ...rest]) {
    const p = join(d, name);
    if (isDir(p)) return p;
  }
  return undefined;
}

/** Every role name found on the search path (for "did you mean"). */
export function knownRoles(searchPath: readonly string[]): string[] {
  const names = new Set<string>();
  for (const d of searchPath) {
    try {
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) names.add(e.name);
    } catch {
      // a search path entry that does not exist is fine
    }
  }
  return [...names];
}
