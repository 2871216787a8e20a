import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadInventory } from '../inventory/index.js';
import { validate } from './index.js';

const FIX = resolve(import.meta.dirname, '../../test/fixtures/playbooks');

const INV = await loadInventory([join(FIX, 'hosts.ini')]);

function rows(errs: Array<{ src?: { file: string; line: number; col: number } | undefined; message: string }>) {
  return errs.map((e) => [e.src?.file.slice(FIX.length + 1), e.src?.line, e.src?.col, e.message]);
}

describe('validate', () => {
  afterEach(() => {
    delete process.env.LIFEBOAT_ROLES_PATH;
  });

  it('finds nothing wrong with the feature fixture (includes loaded, notify names resolved)', async () => {
    expect(await validate({ playbooks: [join(FIX, 'good/site.yml')], inventory: INV })).toEqual([]);
  });

  it('checks hosts patterns against the inventory and notify against handlers, besides load errors', async () => {
    const warnings: Array<{ src?: { file: string; line: number; col: number } | undefined; message: string; code: string }> = [];
    const errs = await validate({ playbooks: [join(FIX, 'bad/many.yml')], inventory: INV, onWarning: (w) => warnings.push(w) });
    const got = rows(errs);
    expect(got).toContainEqual(['bad/many.yml', 14, 15, '`notify` names no handler of this play: `restart etdc` — did you mean `restart etcd`?']);
    expect(got).toContainEqual(['bad/many.yml', 23, 7, 'role `comon` not found']);
    expect(errs.map((e) => e.src?.line)).toEqual([3, 7, 11, 14, 17, 23]); // in file order
    // hosts naming no group: a warning, as in Ansible (and in a run, which skips the play)
    expect(rows(warnings)).toEqual([['bad/many.yml', 21, 10, 'hosts: `etcdd` is no group or host of the inventory — did you mean `etcd`?']]);
    expect(warnings[0]?.code).toBe('E_PATTERN');
  });

  it('refuses unknown filter, test and lookup names at the YAML position of the template, with close names', async () => {
    const errs = await validate({ playbooks: [join(FIX, 'bad/template-names.yml')] });
    expect(errs.map((e) => [e.src?.line, e.src?.col, e.message.split(' (template')[0], e.hint])).toEqual([
      [3, 12, "no filter named 'to_jsn'", 'did you mean `to_json`?'],
      [7, 14, "no filter named 'ansible.utils.ipwarp'", 'did you mean `ipwrap`?'],
      [8, 13, "no test named 'defind'", 'did you mean `defined`, `undefined`?'],
      [9, 32, "no lookup named 'envv'", 'did you mean `env`?'],
    ]);
    expect(errs.every((e) => e.code === 'E_TEMPLATE')).toBe(true);
  });

  it('does not check hosts without an inventory', async () => {
    const errs = await validate({ playbooks: [join(FIX, 'bad/many.yml')] });
    expect(errs.some((e) => e.message.startsWith('hosts:'))).toBe(false);
    expect(errs).toHaveLength(6);
  });

  it('loads statically named include_tasks / include_role targets and reports their problems', async () => {
    const errs = await validate({ playbooks: [join(FIX, 'bad/include-missing.yml')] });
    expect(rows(errs)).toEqual([
      ['bad/include-missing.yml', 3, 7, `cannot read file ${join(FIX, 'bad/tasks/nowhere.yml')}`],
      ['bad/include-missing.yml', 5, 7, 'role `nothere` not found'],
      ['bad/tasks/broken.yml', 4, 3, 'unknown module `shel` — did you mean `shell`?'],
    ]);
  });

  it('finds roles through rolesPath and LIFEBOAT_ROLES_PATH (dependencies beside the role too)', async () => {
    const play = join(FIX, 'rolespath/play.yml');
    const missing = await validate({ playbooks: [play] });
    expect(rows(missing)).toEqual([['rolespath/play.yml', 3, 7, 'role `shared` not found']]);
    expect(await validate({ playbooks: [play], rolesPath: [join(FIX, 'shared-roles')] })).toEqual([]);
    process.env.LIFEBOAT_ROLES_PATH = `/nonexistent:${join(FIX, 'shared-roles')}`;
    expect(await validate({ playbooks: [play] })).toEqual([]);
  });
});
