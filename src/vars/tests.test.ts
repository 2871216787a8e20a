import { describe, expect, it } from 'vitest';
import { evalCondition } from './index.js';

const ctx = {
  ok: { changed: false, rc: 0, stdout: 'fine' },
  bad: { failed: true, changed: false, rc: 1 },
  chg: { changed: true },
  skp: { skipped: true, changed: false },
  s: 'etcd-3.5.9',
  n: 4,
  l: [1, 2],
  d: { a: 1 },
  nothing: null,
};
const c = (e: string) => evalCondition(e, ctx);

describe('jinja tests', () => {
  it('defined / undefined / none', () => {
    expect(c('s is defined')).toBe(true);
    expect(c('zz is defined')).toBe(false);
    expect(c('zz is undefined')).toBe(true);
    expect(c('nothing is none')).toBe(true);
    expect(c('s is none')).toBe(false);
  });
  it('task result tests: succeeded/success, failed/failure, changed, skipped', () => {
    expect(c('ok is succeeded')).toBe(true);
    expect(c('ok is success')).toBe(true);
    expect(c('bad is succeeded')).toBe(false);
    expect(c('bad is failed')).toBe(true);
    expect(c('bad is failure')).toBe(true);
    expect(c('ok is failed')).toBe(false);
    expect(c('chg is changed')).toBe(true);
    expect(c('ok is changed')).toBe(false);
    expect(c('skp is skipped')).toBe(true);
    expect(c('ok is not skipped')).toBe(true);
    expect(() => c('s is failed')).toThrow(/the 'failed' test expects a registered task result/);
  });
  it('match (anchored), search, regex', () => {
    expect(c("s is match('etcd')")).toBe(true);
    expect(c("s is match('3\\\\.5')")).toBe(false);
    expect(c("s is search('3\\\\.5')")).toBe(true);
    expect(c("s is regex('^ETCD', ignorecase=true)")).toBe(true);
    expect(c("s is regex('3.5', match_type='match')")).toBe(false);
  });
  it('in, type tests', () => {
    expect(c('1 is in(l)')).toBe(true);
    expect(c('3 is in(l)')).toBe(false);
    expect(c('s is string')).toBe(true);
    expect(c('n is string')).toBe(false);
    expect(c('n is number')).toBe(true);
    expect(c('d is mapping')).toBe(true);
    expect(c('l is mapping')).toBe(false);
    expect(c('l is iterable')).toBe(true);
    expect(c('n is iterable')).toBe(false);
    expect(c('l is sequence')).toBe(true);
    expect(c('s is sequence')).toBe(true);
  });
  it('equalto, truthy / falsy, version', () => {
    expect(c('n is equalto(4)')).toBe(true);
    expect(c('n is equalto(5)')).toBe(false);
    expect(c('l is truthy')).toBe(true);
    expect(c("'' is falsy")).toBe(true);
    expect(c("'3.5.10' is version('3.5.9', '>')")).toBe(true);
    expect(c("'3.4.23' is version('3.5', '>=')")).toBe(false);
  });
  it('contains, sameas, divisibleby, even / odd, lower / upper, subset / superset', () => {
    expect(c('l is contains(2)')).toBe(true);
    expect(c('l is contains(5)')).toBe(false);
    expect(c('nothing is sameas none')).toBe(true);
    expect(c('n is divisibleby(2)')).toBe(true);
    expect(c('n is divisibleby(3)')).toBe(false);
    expect(c('n is divisibleby 2')).toBe(true);
    expect(c("s is not equalto 'x' and n is equalto 4")).toBe(true);
    expect(c('n is even')).toBe(true);
    expect(c('n is odd')).toBe(false);
    expect(c('s is lower')).toBe(true);
    expect(c('s is upper')).toBe(false);
    expect(c('[1] is subset(l)')).toBe(true);
    expect(c('l is superset([1, 2])')).toBe(true);
    expect(c('l is subset([1])')).toBe(false);
  });
  it('unknown tests are an error', () => {
    expect(() => c('s is strin')).toThrow(/no test named 'strin'/);
  });
});
