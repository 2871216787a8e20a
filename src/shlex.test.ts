import { describe, expect, it } from 'vitest';
import { shlexSplit } from './shlex.js';

const words = (s: string, comments = false) => {
  const r = shlexSplit(s, { comments });
  if (!r.ok) throw new Error(r.message);
  return r.words.map((w) => w.text);
};

describe('shlexSplit (Python shlex.split, POSIX mode)', () => {
  it('matches Python for quotes, escapes and # (values checked with python3 -c "import shlex; …")', () => {
    // shlex.split(r'echo "a\$b" c#d') == ['echo', 'a\\$b', 'c#d']
    expect(words('echo "a\\$b" c#d')).toEqual(['echo', 'a\\$b', 'c#d']);
    // shlex.split("a 'b c' d\\ e") == ['a', 'b c', 'd e']
    expect(words("a 'b c' d\\ e")).toEqual(['a', 'b c', 'd e']);
    // shlex.split('x # y', comments=True) == ['x']
    expect(words('x # y', true)).toEqual(['x']);
    expect(words('x # y')).toEqual(['x', '#', 'y']);
  });

  it('reports an unclosed quote with where it opened', () => {
    expect(shlexSplit('a "b c', { comments: false })).toEqual({ ok: false, message: 'no closing quotation for the " opened here', at: 2 });
  });
});
