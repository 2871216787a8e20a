import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../errors.js';
import { globToRegExp } from '../glob.js';
import { loadInventory, orderHosts, resolvePattern } from './index.js';
import { splitPattern } from './pattern.js';

const FIX = resolve(import.meta.dirname, '../../test/fixtures/inventory');
// order: bastion etcd1 etcd2 etcd3 master01 master02 node01 node02 node03 prom
const inv = await loadInventory([join(FIX, 'nested.yml')]);
const r = (p: string) => resolvePattern(inv, p);

function patternError(p: string, opts = {}): LifeboatError {
  try {
    resolvePattern(inv, p, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(LifeboatError);
    expect((e as LifeboatError).code).toBe('E_PATTERN');
    return e as LifeboatError;
  }
  throw new Error(`pattern ${p} did not fail`);
}

// Host sets checked against `ansible PATTERN -i nested.yml --list-hosts` (ansible-core 2.14).
describe('resolvePattern', () => {
  it.each([
    ['etcd', ['etcd1', 'etcd2', 'etcd3']],
    ['etcd1', ['etcd1']],
    ['etcd:kube_master', ['etcd1', 'etcd2', 'etcd3', 'master01', 'master02']],
    ['etcd,prom', ['etcd1', 'etcd2', 'etcd3', 'prom']],
    ['k8s:!etcd', ['master01', 'master02', 'node01', 'node02', 'node03']],
    ['k8s:&monitoring', ['etcd1']],
    ['!k8s', ['bastion', 'prom']],
    ['&monitoring', ['etcd1', 'prom']],
    ['node*', ['node01', 'node02', 'node03']],
    ['node0[!1]', ['node02', 'node03']],
    ['etc?', ['etcd1', 'etcd2', 'etcd3']],
    ['control_*', ['etcd1', 'etcd2', 'etcd3', 'master01', 'master02']],
    ['~(etcd|node)0?[12]$', ['etcd1', 'etcd2', 'node01', 'node02']],
    ['~master', ['master01', 'master02']],
    ['*', inv.order],
    ['all', inv.order],
    ['all:!etcd1', inv.order.filter((h) => h !== 'etcd1')],
    ['etcd1:etcd1', ['etcd1']],
    ['monitoring:&etcd:!etcd2', ['etcd1']],
    ['etcd[0]', ['etcd1']],
    ['etcd[-1]', ['etcd3']],
    ['etcd[0:1]', ['etcd1', 'etcd2']],
    ['k8s[1:]', ['etcd1', 'etcd2', 'etcd3', 'master01', 'master02', 'node02', 'node03']],
  ])('%s', (pattern, hosts) => {
    expect(r(pattern)).toEqual(hosts);
  });

  it('gives hosts in inventory order, not pattern order', () => {
    expect(r('prom:kube_master:bastion')).toEqual(['bastion', 'master01', 'master02', 'prom']);
  });

  it('applies exclusions after every union, wherever they are written (as Ansible)', () => {
    expect(r('!etcd1:etcd')).toEqual(['etcd2', 'etcd3']);
  });

  it('takes web[0-9] as a glob when the part before the brackets is no group or host', () => {
    expect(r('node0[1-2]')).toEqual(['node01', 'node02']);
  });

  it('selects IPv6 hosts and the implicit ::1 whole', async () => {
    const v6 = await loadInventory(['fe80::1,fe80::2,']);
    expect(resolvePattern(v6, 'fe80::2')).toEqual(['fe80::2']);
    expect(resolvePattern(v6, 'all:!fe80::1')).toEqual(['fe80::2']);
    expect(resolvePattern(v6, '::1')).toEqual(['::1']);
  });

  it('treats a pattern with spaces around the separators the same', () => {
    expect(r(' etcd1 , prom ')).toEqual(['etcd1', 'prom']);
  });

  it('offers the play `order:` orders', () => {
    expect(resolvePattern(inv, 'etcd:prom', { order: 'reverse_inventory' })).toEqual(['prom', 'etcd3', 'etcd2', 'etcd1']);
    expect(orderHosts(['b', 'a', 'c'], 'sorted')).toEqual(['a', 'b', 'c']);
    expect(orderHosts(['b', 'a', 'c'], 'reverse_sorted')).toEqual(['c', 'b', 'a']);
    expect(orderHosts(['b', 'a', 'c'], 'shuffle').sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('resolvePattern errors', () => {
  it('names an unknown group or host with the nearest name', () => {
    const e = patternError('etdc');
    expect(e.message).toBe('no host or group named "etdc" in the inventory (pattern "etdc")');
    expect(e.hint).toBe('did you mean "etcd"?');
    expect(patternError('k8s:!etcd4').hint).toBe('did you mean "etcd"?');
    expect(patternError('10.9.9.9').hint).toMatch(/lifeboat inventory --graph/);
  });

  it('lets a glob or regex match nothing, unless strict', () => {
    expect(r('db*')).toEqual([]);
    expect(r('~^db')).toEqual([]);
    expect(patternError('db*', { strict: true }).message).toBe('host pattern "db*" matches no hosts');
    expect(patternError('etcd:&workers', { strict: true }).message).toMatch(/matches no hosts/);
  });

  it('rejects an empty pattern, a bad regex and a subscript out of range', () => {
    expect(patternError('  ').message).toBe('empty host pattern');
    expect(patternError('~etcd(').message).toMatch(/bad regular expression "~etcd\("/);
    expect(patternError('etcd[3]').message).toBe('"etcd[3]": "etcd" has 3 host(s), so [3] is out of range');
  });

  it('carries the source position it is given', () => {
    const src = { file: 'site.yml', line: 3, col: 10 };
    expect(patternError('nope', { src }).format()).toMatch(/^site\.yml:3:10: no host or group named "nope"/);
  });
});

describe('@file patterns', () => {
  const dir = mkdtemp(join(tmpdir(), 'lifeboat-pattern-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('reads host names from a file, one a line, relative to baseDir', async () => {
    const d = await dir;
    await writeFile(join(d, 'retry.txt'), '# failed last time\netcd3\n\nprom\n');
    expect(resolvePattern(inv, '@retry.txt', { baseDir: d })).toEqual(['etcd3', 'prom']);
    expect(resolvePattern(inv, `etcd:!@${join(d, 'retry.txt')}`)).toEqual(['etcd1', 'etcd2']);
  });

  it('reports a missing file and an unknown name inside the file', async () => {
    const d = await dir;
    expect(patternError('@missing.txt', { baseDir: d }).message).toMatch(/cannot read host list file "missing.txt"/);
    await writeFile(join(d, 'bad.txt'), 'etcd9\n');
    expect(patternError('@bad.txt', { baseDir: d }).message).toMatch(/no host or group named "etcd9"/);
  });
});

describe('splitPattern and globToRegExp', () => {
  it('splits on : and , but not inside brackets or IPv6 addresses', () => {
    expect(splitPattern('a:b:!c:&d')).toEqual(['a', 'b', '!c', '&d']);
    expect(splitPattern('a,b:c')).toEqual(['a', 'b:c']);
    expect(splitPattern('g[0:2]:h')).toEqual(['g[0:2]', 'h']);
    expect(splitPattern('fe80::1', (n) => n === 'fe80::1')).toEqual(['fe80::1']);
    expect(splitPattern('!fe80::1', (n) => n === 'fe80::1')).toEqual(['!fe80::1']);
    expect(splitPattern('db:dc1:cafe')).toEqual(['db', 'dc1', 'cafe']);
  });

  it('translates fnmatch', () => {
    expect(globToRegExp('node*').test('node01')).toBe(true);
    expect(globToRegExp('node*').test('xnode01')).toBe(false);
    expect(globToRegExp('n?de').test('node')).toBe(true);
    expect(globToRegExp('10.0.0.*').test('10.0.0.7')).toBe(true);
    expect(globToRegExp('10.0.0.*').test('10x0x0x7')).toBe(false);
    expect(globToRegExp('web[!0-4]').test('web5')).toBe(true);
    expect(globToRegExp('web[!0-4]').test('web3')).toBe(false);
  });
});

describe('implicit localhost (as Ansible)', () => {
  it('selects the controller by name when the inventory does not list it, never through all', async () => {
    const { hostInventoryVars, groupNamesOf } = await import('./index.js');
    expect(r('localhost')).toEqual(['localhost']);
    expect(r('etcd1:127.0.0.1')).toEqual(['etcd1', '127.0.0.1']);
    expect(r('all')).not.toContain('localhost');
    expect(r('all:!localhost')).toEqual(inv.order);
    expect(hostInventoryVars(inv, 'localhost')).toEqual({ ansible_user: 'root', tier: 'all', ansible_connection: 'local' });
    expect(groupNamesOf(inv, 'localhost')).toEqual([]);
  });

  it('is an ordinary host when the inventory lists it', async () => {
    const listed = await loadInventory(['localhost,other,']);
    expect(resolvePattern(listed, 'all')).toEqual(['localhost', 'other']);
    const { hostInventoryVars } = await import('./index.js');
    expect(hostInventoryVars(listed, 'localhost')).toEqual({});
  });
});
