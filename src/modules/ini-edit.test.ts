import { describe, expect, it } from 'vitest';
import { editIni, type IniSpec } from './ini-edit.js';

const base: IniSpec = { values: [], state: 'present', exclusive: true, noExtraSpaces: false, allowNoValue: false };
const set = (section: string | null, option: string | undefined, value?: string, more: Partial<IniSpec> = {}): IniSpec => ({
  ...base,
  section,
  ...(option !== undefined ? { option } : {}),
  values: value !== undefined ? [value] : [],
  ...more,
});

// Each expectation was taken from community.general.ini_file (Debian's ansible package, Ansible core 2.14) run
// on the same input with `ansible localhost -m community.general.ini_file -a …`.
describe('ini_file edit (as community.general.ini_file)', () => {
  it('walks the same sequence of edits as Ansible, with the same messages', () => {
    let text = '[a]\nx = 1\n# y = old\n\n[b]\nz=2';
    const step = (s: IniSpec) => {
      const r = editIni(text, s);
      text = r.text;
      return [r.changed, r.msg];
    };
    expect(step(set('a', 'y', 'new'))).toEqual([true, 'option changed']); // the commented line takes the value
    expect(text).toBe('[a]\nx = 1\ny = new\n\n[b]\nz=2\n');
    expect(step(set('b', 'z', '3'))).toEqual([true, 'option changed']);
    expect(step(set('c', 'q', '1', { noExtraSpaces: true }))).toEqual([true, 'section and option added']);
    expect(step(set(null, 'top', '1'))).toEqual([true, 'option added']);
    expect(text).toBe('top = 1\n[a]\nx = 1\ny = new\n\n[b]\nz = 3\n[c]\nq=1\n');
    expect(step({ ...set('a', undefined), state: 'absent' })).toEqual([true, 'section removed']);
    expect(step({ ...set('b', 'z'), state: 'absent' })).toEqual([true, 'option changed']);
    expect(text).toBe('top = 1\n[b]\n[c]\nq=1\n');
    expect(step(set('c', 'q', '1', { noExtraSpaces: true }))).toEqual([false, 'OK']); // idempotent
  });

  it('makes a new file as Ansible does (its first line blank), and adds a missing newline as a change', () => {
    expect(editIni('', set('s', 'o', 'v'))).toEqual({ text: '\n[s]\no = v\n', changed: true, msg: 'section and option added' });
    expect(editIni('[s]\no = v', set('s', 'o', 'v'))).toEqual({ text: '[s]\no = v\n', changed: true, msg: 'OK' });
  });

  it('exclusive removes the other occurrences; not exclusive keeps them; values sets several', () => {
    const dup = '[s]\nk = 1\nk = 2\nk = 3\n';
    expect(editIni(dup, set('s', 'k', '2')).text).toBe('[s]\nk = 2\n');
    expect(editIni(dup, set('s', 'k', '9', { exclusive: false })).text).toBe('[s]\nk = 1\nk = 2\nk = 3\nk = 9\n');
    expect(editIni('[s]\nk = 1\n', { ...set('s', 'k'), values: ['1', '2'] }).text).toBe('[s]\nk = 1\nk = 2\n');
  });

  it('inserts after the last line that is not blank or a comment, and knows options without value', () => {
    expect(editIni('[s]\na = 1\n\n# trailing\n[t]\n', set('s', 'b', '2')).text).toBe('[s]\na = 1\nb = 2\n\n# trailing\n[t]\n');
    expect(editIni('[s]\na = 1\n', set('s', 'flag', undefined, { allowNoValue: true })).text).toBe('[s]\na = 1\nflag\n');
    expect(editIni('[s]\nflag\n', set('s', 'flag', undefined, { allowNoValue: true })).changed).toBe(false);
  });

  it('does not take an option whose name only starts the same, nor a commented one for absent', () => {
    expect(editIni('[s]\nkey2 = x\n', set('s', 'key', '1')).text).toBe('[s]\nkey2 = x\nkey = 1\n');
    expect(editIni('[s]\n#k = 1\n', { ...set('s', 'k'), state: 'absent' })).toMatchObject({ changed: false, msg: 'OK' });
  });
});
