import { describe, expect, it } from 'vitest';
import { attrChange, parseAttributes, parseLsattr, parseTimestamp } from '../../src/modules/file-attrs.js';
import { FakeConnection } from './fake.js';
import { planModule } from './run.js';

const stat = (extra = '') =>
  `exists=1\ntype=regular file\nsize=1\nmode=644\nuid=0\ngid=0\nowner=root\ngroup=root\nmtime=1700000000\natime=1700000000\n${extra}`;

describe('file attributes (chattr/lsattr)', () => {
  it('parses +, -, = and a bare list (= assumed, as in Ansible)', () => {
    expect(parseAttributes('+i')).toEqual({ op: '+', flags: ['i'] });
    expect(parseAttributes('-ia')).toEqual({ op: '-', flags: ['i', 'a'] });
    expect(parseAttributes('i')).toEqual({ op: '=', flags: ['i'] });
    expect(parseAttributes('')).toEqual({ op: '=', flags: [] });
    expect(() => parseAttributes('+i,a')).toThrow(/must be letters/);
    expect([...parseLsattr('----i---------e------- /etc/x\n')].sort()).toEqual(['e', 'i']);
  });
  it('changes only what differs; flags chattr cannot change (e) are ignored', () => {
    const cur = parseLsattr('--------------e------- /x');
    expect(attrChange(parseAttributes('+i'), cur)).toBe('+i');
    expect(attrChange(parseAttributes('-i'), cur)).toBeUndefined();
    expect(attrChange(parseAttributes('=i'), parseLsattr('----i---------e------- /x'))).toBeUndefined();
    expect(attrChange(parseAttributes('i'), parseLsattr('-----a--------e------- /x'))).toBe('=i');
    expect(attrChange(parseAttributes('+i'), parseLsattr('----i--------------- /x'))).toBeUndefined();
  });
  it('plans chattr -i before a chmod and +i after it', async () => {
    const c = new FakeConnection().on('stat ', { stdout: stat() }).on('lsattr', { stdout: '----i---------e-- /x\n' });
    const op = await planModule('file', { path: '/x', attributes: '-i', mode: '0600' }, c);
    expect(op.steps.map((s) => (s.kind === 'exec' ? s.cmd.split(' ')[0] : ''))).toEqual(['chattr', 'chmod']);
    const c2 = new FakeConnection().on('stat ', { stdout: stat() }).on('lsattr', { stdout: '--------------e-- /x\n' });
    const op2 = await planModule('file', { path: '/x', attr: '+i', mode: '0600' }, c2);
    expect(op2.steps.map((s) => (s.kind === 'exec' ? s.cmd : ''))).toEqual(['chmod 0600 -- /x', 'chattr +i -- /x']);
  });
});

describe('file access_time / modification_time', () => {
  it('reads timestamps with the default and custom formats', () => {
    expect(parseTimestamp('202401311230.05')).toEqual({ stamp: '202401311230.05', iso: '2024-01-31 12:30:05' });
    expect(parseTimestamp('2024-01-31 12:30', '%Y-%m-%d %H:%M')).toEqual({ stamp: '202401311230.00', iso: '2024-01-31 12:30:00' });
    expect(parseTimestamp('31 Jan 24', '%d %b %y').iso).toBe('2024-01-31 00:00:00');
    expect(() => parseTimestamp('2024-13-01', '%Y-%m-%d')).toThrow(/out of range/);
    expect(() => parseTimestamp('20240131', '%Y%m%d%H')).toThrow(/does not match/);
    expect(() => parseTimestamp('x', '%Q')).toThrow(/not supported/);
  });
  it('touch: now by default (always a change); preserve on an existing file is no change', async () => {
    const c = new FakeConnection().on('stat ', { stdout: stat() });
    const op = await planModule('file', { path: '/x', state: 'touch' }, c);
    expect(op.steps.map((s) => (s.kind === 'exec' ? s.cmd : ''))).toEqual(['touch -c -- /x']);
    const keep = await planModule('file', { path: '/x', state: 'touch', access_time: 'preserve', modification_time: 'preserve' }, c);
    expect(keep.steps).toEqual([]);
    expect(keep.changed).toBe(false);
  });
  it('a timestamp is compared with stat (the host converts it: date -d, its own time zone)', async () => {
    const same = new FakeConnection().on('stat ', { stdout: stat() }).on('date -d', { stdout: '1700000000\n' });
    const args = { path: '/x', modification_time: '202311142213.20' };
    expect((await planModule('file', args, same)).steps).toEqual([]);
    const other = new FakeConnection().on('stat ', { stdout: stat() }).on('date -d', { stdout: '1600000000\n' });
    const op = await planModule('file', args, other);
    expect(op.steps.map((s) => (s.kind === 'exec' ? s.cmd : ''))).toEqual(['touch -c -m -t 202311142213.20 -- /x']);
    await expect(planModule('file', { path: '/x', access_time: 'yesterday' }, same)).rejects.toThrow(/does not match format/);
  });
});
