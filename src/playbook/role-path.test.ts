import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot, roleSearchPath, splitRolesPath } from './role-path.js';

describe('role search path', () => {
  afterEach(() => {
    delete process.env.LIFEBOAT_ROLES_PATH;
  });

  it("finds Lifeboat's package root from the module's own location", () => {
    const root = packageRoot();
    expect(root).toBe(resolve(import.meta.dirname, '../..'));
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('lifeboat');
  });

  it('orders: playbook roles, package roles, --roles-path, LIFEBOAT_ROLES_PATH (no duplicates)', () => {
    process.env.LIFEBOAT_ROLES_PATH = '/env/a::/opt/x';
    expect(roleSearchPath('/pb', ['/opt/x:/opt/y', 'rel'])).toEqual([
      '/pb/roles',
      join(packageRoot(), 'roles'),
      '/opt/x',
      '/opt/y',
      resolve('rel'),
      '/env/a',
    ]);
  });

  it('splits colon-separated entries, dropping empty ones', () => {
    expect(splitRolesPath('a::b:')).toEqual(['a', 'b']);
    expect(splitRolesPath(undefined)).toEqual([]);
  });
});

describe('findRole', () => {
  it('looks a role name with a `/` up on the search path (roles grouped in sub-directories)', async () => {
    const { mkdtempSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { findRole } = await import('./role-path.js');
    const d = mkdtempSync(join(tmpdir(), 'lb-roles-'));
    mkdirSync(join(d, 'roles/kubernetes/node'), { recursive: true });
    mkdirSync(join(d, 'pb'), { recursive: true });
    expect(findRole('kubernetes/node', join(d, 'pb'), [join(d, 'roles')])).toBe(join(d, 'roles/kubernetes/node'));
    expect(findRole('kubernetes/nope', join(d, 'pb'), [join(d, 'roles')])).toBeUndefined();
    // An explicit relative path is a path only.
    expect(findRole('./kubernetes/node', join(d, 'pb'), [join(d, 'roles')])).toBeUndefined();
    expect(findRole('../roles/kubernetes/node', join(d, 'pb'), [])).toBe(join(d, 'roles/kubernetes/node'));
  });
});
