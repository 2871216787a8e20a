import { describe, expect, it } from 'vitest';
import { iniValue, pyLiteral } from './pyliteral.js';

// Expected values checked against Python 3's ast.literal_eval (tuples/sets shown as lists).
const cases: Array<[string, unknown]> = [
  ['5', 5],
  ['-3', -3],
  ['+4', 4],
  ['- 5', -5],
  ['0', 0],
  ['00', 0],
  ['1_000', 1000],
  ['0x1f', 31],
  ['0o17', 15],
  ['0b101', 5],
  ['1.5', 1.5],
  ['.5', 0.5],
  ['1.', 1],
  ['1e3', 1000],
  ['2E-2', 0.02],
  ['True', true],
  ['False', false],
  ['None', null],
  ["'quoted'", 'quoted'],
  ['"double"', 'double'],
  [`'a' "b"`, 'ab'],
  ["'it''s'", 'its'],
  ['"a\\tb\\n"', 'a\tb\n'],
  ['r"a\\tb"', 'a\\tb'],
  ["'\\x41\\u00e9'", 'Aé'],
  ['"\\q"', '\\q'],
  ["[1, 'two', None]", [1, 'two', null]],
  ['[1, 2,]', [1, 2]],
  ['(1, 2)', [1, 2]],
  ['(1,)', [1]],
  ['(1)', 1],
  ['()', []],
  [`{"a": 1, 'b': [True]}`, { a: 1, b: [true] }],
  ['{1, 2}', [1, 2]],
  ['{}', {}],
  ["{1: 'x'}", { '1': 'x' }],
  ['"6443"', '6443'],
  ["'x' # comment", 'x'],
  ['5 # c', 5],
  ['b"bytes"', 'bytes'],
];

// Python raises for these: Ansible keeps the text as written.
const raw = [
  '0755',
  'true',
  'yes',
  'FALSE',
  '{{ base_dir }}/clusters',
  '10.0.0.1',
  '/usr/bin/python3',
  'master-01',
  'bar # comment',
  '[1, 2',
  'f"x"',
  'abc def',
  '"unterminated',
  'a=b',
  '1j',
  '',
  '...',
  '{[1]: 2}',
];

describe('pyLiteral (ast.literal_eval)', () => {
  it.each(cases)('%s', (text, value) => {
    expect(pyLiteral(text)).toEqual({ ok: true, value });
  });

  it.each(raw)('%s is not a literal', (text) => {
    expect(pyLiteral(text)).toEqual({ ok: false });
    expect(iniValue(text)).toBe(text);
  });

  it('keeps integers beyond 2^53 and overflowing floats as text rather than lose digits', () => {
    expect(iniValue('9007199254740993')).toBe('9007199254740993');
    expect(iniValue('1e400')).toBe('1e400');
  });

  it('reads multi-line and nested structures', () => {
    expect(iniValue('{"a": [1, {"b": None}], "c": "x#y"}')).toEqual({ a: [1, { b: null }], c: 'x#y' });
  });
});
