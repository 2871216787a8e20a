import { describe, expect, it } from 'vitest';
import { editFstab, escapeField, formatEntry, unescapeField } from '../../src/modules/lib/fstab.js';
import { FakeConnection } from './fake.js';
import { planModule } from './run.js';

const e = { src: 'tmpfs', path: '/mnt/x', fstype: 'tmpfs', opts: 'size=1m', dump: '0', passno: '0' };
const FSTAB = '# static\nUUID=1 / ext4 defaults 0 1\ntmpfs /mnt/x tmpfs defaults 0 0\n';

describe('fstab editing', () => {
  it('replaces the line for the path, appends a missing one, removes it; other lines untouched', () => {
    expect(editFstab(FSTAB, '/mnt/x', e)).toEqual({ text: '# static\nUUID=1 / ext4 defaults 0 1\ntmpfs /mnt/x tmpfs size=1m 0 0\n', changed: true });
    expect(editFstab('# static\nUUID=1 / ext4 defaults 0 1\ntmpfs\t/mnt/x\ttmpfs\tsize=1m\t0\t0\n', '/mnt/x', e).changed).toBe(false);
    expect(editFstab('', '/mnt/x', e).text).toBe('tmpfs /mnt/x tmpfs size=1m 0 0\n');
    expect(editFstab('a /b c d 0 0', '/mnt/x', e).text).toBe('a /b c d 0 0\ntmpfs /mnt/x tmpfs size=1m 0 0\n');
    expect(editFstab(FSTAB, '/mnt/x', undefined)).toEqual({ text: '# static\nUUID=1 / ext4 defaults 0 1\n', changed: true });
    expect(editFstab(FSTAB, '/mnt/y', undefined).changed).toBe(false);
    expect(editFstab(`${FSTAB}tmpfs /mnt/x tmpfs ro 0 0\n`, '/mnt/x', { ...e, opts: 'defaults' }).text).toBe(FSTAB);
  });
  it('escapes spaces as fstab does', () => {
    expect(escapeField('/mnt/my disk')).toBe('/mnt/my\\040disk');
    expect(unescapeField('/mnt/my\\040disk')).toBe('/mnt/my disk');
    expect(formatEntry({ ...e, path: '/a b' })).toBe('tmpfs /a\\040b tmpfs size=1m 0 0\n');
  });
});

describe('mount plan', () => {
  const probeOut = (mounted: string | undefined, fstab: string) =>
    `${mounted ? `mounted=1\ncur=${mounted}\n` : ''}dir=1\n--lifeboat-fstab--\n${fstab}`;
  it('mounted: not mounted → fstab line + mount; mounted with the line → nothing; the line changed → remount', async () => {
    const fresh = new FakeConnection().on('findmnt', { stdout: probeOut(undefined, '') }).on('stat ', { stdout: 'exists=0\nparent=1\n' });
    const op = await planModule('mount', { path: '/mnt/x', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', state: 'mounted' }, fresh);
    expect(op.steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind))).toEqual(['put', 'mount -t tmpfs -o size=1m -- tmpfs /mnt/x']);
    const same = new FakeConnection().on('findmnt', { stdout: probeOut('tmpfs tmpfs', 'tmpfs /mnt/x tmpfs size=1m 0 0\n') });
    expect((await planModule('mount', { path: '/mnt/x', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', state: 'mounted' }, same)).steps).toEqual([]);
    const other = new FakeConnection().on('findmnt', { stdout: probeOut('tmpfs tmpfs', 'tmpfs /mnt/x tmpfs size=1m 0 0\n') }).on('stat ', { stdout: 'exists=1\ntype=regular file\nmode=644\nparent=1\n' });
    const re = await planModule('mount', { path: '/mnt/x', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=2m', state: 'mounted' }, other);
    expect(re.steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind))).toEqual(['put', 'mount -o remount,size=2m -- /mnt/x']);
    await expect(planModule('mount', { path: '/mnt/x', state: 'present' }, other)).rejects.toThrow(/needs src and fstype/);
  });
});
