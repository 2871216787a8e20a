import { describe, expect, it } from 'vitest';
import { fnmatch, globToRegExp } from './glob.js';

// Every expectation below is what python3 -c "from fnmatch import fnmatchcase; print(fnmatchcase(name, pattern))"
// answers (Python 3.11), which is what Ansible's host patterns, setup's filter, apt's versions and archive's
// exclusion_patterns use.
const cases: Array<[name: string, pattern: string, matches: boolean]> = [
  // host patterns (inventory)
  ['node01', 'node*', true],
  ['xnode01', 'node*', false],
  ['node', 'n?de', true],
  ['10.0.0.7', '10.0.0.*', true],
  ['10x0x0x7', '10.0.0.*', false],
  ['web5', 'web[!0-4]', true],
  ['web3', 'web[!0-4]', false],
  ['Node1', 'node1', false],
  // setup's filter
  ['ansible_distribution_version', 'ansible_distribution*', true],
  ['ansible_hostname', 'ansible_distribution*', false],
  ['ansible_eth0', 'ansible_eth[0-9]', true],
  ['ansible_x', 'ansible_[!x]', false],
  ['ansible_!x', 'ansible_[!x]', false],
  // apt's name=version
  ['3.4.30-1', '3.4.*', true],
  ['3.4.3-1', '3.4.?-1', true],
  ['3.5.0-1', '3.4.*', false],
  ['1:2.0', '1:2.*', true],
  ['12', '1[2]', true],
  ['1[2]', '1[2]', false],
  // archive's exclusion_patterns: `*` crosses `/`
  ['a/b/c.swp', '*.swp', true],
  ['a/b/c.swpx', '*.swp', false],
  // RegExp characters are literal
  ['a.b', 'a?b', true],
  ['axb', 'a.b', false],
  ['a+b', 'a+b', true],
  ['(x)', '(x)', true],
  ['x|y', 'x|y', true],
  ['a\\b', 'a\\b', true],
  ['a\nb', 'a*b', true],
  ['😀', '?', true],
  // sets
  [']', '[]]', true],
  ['x', '[!]]', true],
  [']', '[!]]', false],
  ['b', '[a-c]', true],
  ['-', '[a-]', true],
  ['-', '[-a]', true],
  ['\\', '[\\]', true],
  ['^', '[^a]', true],
  ['b', '[^a]', false],
  ['b', '[z-a]', false],
  ['q', '[!z-a]', true],
  // an unclosed `[` is literal
  ['[', '[', true],
  ['[ab', '[ab', true],
];

describe('fnmatch (Python fnmatch.fnmatchcase)', () => {
  it.each(cases)('%j against %j → %s', (name, pattern, matches) => {
    expect(fnmatch(name, pattern)).toBe(matches);
    expect(globToRegExp(pattern).test(name)).toBe(matches);
  });

  it('matches the whole name, and runs of * as one', () => {
    expect(fnmatch('abc', 'b')).toBe(false);
    expect(fnmatch('abc', 'a**c')).toBe(true);
    expect(globToRegExp('a**c').source).toBe(globToRegExp('a*c').source);
  });
});
