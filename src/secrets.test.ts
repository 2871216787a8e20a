import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MASK, Secret, SecretSet } from './secrets.js';

const HARD = ['Ab"c\\d-XYZ', 'line1\nline2', 'a.*b$[x](y)|z^+?', 'pass', 'password123', "it's"];

describe('SecretSet', () => {
  it('masks quotes, backslashes, newlines, regex metacharacters and secrets that contain each other', () => {
    const s = new SecretSet(HARD);
    const text = `u Ab"c\\d-XYZ / line1\nline2 / a.*b$[x](y)|z^+? / password123 / pass / it's / aXXb`;
    const out = s.mask(text);
    for (const h of HARD) expect(out).not.toContain(h);
    expect(out).toBe(`u ${MASK} / ${MASK} / ${MASK} / ${MASK} / ${MASK} / ${MASK} / aXXb`);
  });

  it('masks before serialising, so JSON escapes cannot hide a secret', () => {
    const s = new SecretSet(['Ab"c\\d-XYZ']);
    const json = JSON.stringify(s.maskDeep({ become_pass: 'Ab"c\\d-XYZ', list: ['x Ab"c\\d-XYZ'], 'Ab"c\\d-XYZ': 1 }));
    expect(json).not.toContain('Ab');
    expect(JSON.parse(json)).toEqual({ become_pass: MASK, list: [`x ${MASK}`], [MASK]: 1 });
  });

  it('is live: a value added later is masked by the same object', () => {
    const s = new SecretSet();
    const mask = (t: string) => s.mask(t);
    expect(mask('late-secret')).toBe('late-secret');
    s.add('late-secret');
    expect(mask('x late-secret')).toBe(`x ${MASK}`);
  });

  it('ignores empty values and never prints its own values', () => {
    const s = new SecretSet(['', 'hunter2']);
    expect(s.size).toBe(1);
    expect(s.mask('abc')).toBe('abc');
    expect(JSON.stringify({ s })).not.toContain('hunter2');
    expect(inspect(s)).not.toContain('hunter2');
  });
});

describe('Secret', () => {
  it('masks itself in template strings, JSON and util.inspect; reveal() gives the value', () => {
    const p = new Secret('Ab"c\\d');
    expect(`${p}`).toBe(MASK);
    expect(JSON.stringify({ p })).toBe(`{"p":"${MASK}"}`);
    expect(inspect({ p })).not.toContain('Ab');
    expect(p.reveal()).toBe('Ab"c\\d');
    expect(new SecretSet([p]).mask('x Ab"c\\d')).toBe(`x ${MASK}`);
  });

  it('masking is literal (no replacement patterns either)', () => {
    expect(new SecretSet(['$&$']).mask('a$&$b')).toBe(`a${MASK}b`);
  });
});

/** The assertions of the former vars/secrets.test.ts (maskSecrets), on the one SecretSet. */
describe('SecretSet.mask (was maskSecrets)', () => {
  const maskSecrets = (text: string, secrets: string[]) => new SecretSet(secrets).mask(text);
  it('replaces every occurrence of each secret', () => {
    expect(maskSecrets('echo pw123 | sudo -S; again pw123', ['pw123'])).toBe('echo ******** | sudo -S; again ********');
  });
  it('masks the longer secret first when one contains another', () => {
    expect(maskSecrets('token=abcdef', ['abc', 'abcdef'])).toBe('token=********');
  });
  it('ignores empty secrets and treats regex characters literally', () => {
    expect(maskSecrets('a.b*c', ['', '.b*'])).toBe('a********c');
    expect(maskSecrets('nothing here', [])).toBe('nothing here');
  });
});

describe('SecretSet forms and rule', () => {
  it('masks a secret also as JSON text and as a shell single-quoted word hold it', () => {
    const s = new SecretSet(['Ab"c\\d', "it's-x"]);
    expect(s.mask(JSON.stringify({ p: 'Ab"c\\d' }))).toBe(`{"p":"${MASK}"}`);
    expect(s.mask(`echo 'it'\\''s-x'`)).toBe(`echo '${MASK}'`);
  });

  it('addDeep adds every string and number of a value; shorter than 3 characters is not a secret', () => {
    const s = new SecretSet();
    s.addDeep({ a: ['tok-1', 12345], b: { c: 'no' } });
    expect(s.mask('tok-1 12345 no')).toBe(`${MASK} ${MASK} no`);
    expect(s.size).toBe(2);
  });
});
