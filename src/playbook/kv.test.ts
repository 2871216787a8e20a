import { describe, expect, it } from 'vitest';
import { parseFreeForm, parseKv, splitArgs, unquote } from './kv.js';

describe('splitArgs', () => {
  it('keeps quoted strings and Jinja blocks whole', () => {
    expect(splitArgs(`echo "a b" 'c d' {{ x | default('y z') }} e=f`).map((t) => t.text)).toEqual([
      'echo',
      '"a b"',
      "'c d'",
      "{{ x | default('y z') }}",
      'e=f',
    ]);
  });

  it('keeps an escaped quote inside double quotes', () => {
    expect(splitArgs(String.raw`msg="say \"hi\" now" x=1`).map((t) => t.text)).toEqual([String.raw`msg="say \"hi\" now"`, 'x=1']);
  });
});

describe('parseKv', () => {
  it('reads key=value pairs, unquoting values', () => {
    expect(parseKv(`path=/x state=directory msg="hello world" mode='0644'`)).toEqual({
      ok: true,
      args: { path: '/x', state: 'directory', msg: 'hello world', mode: '0644' },
    });
  });

  it('names the first word that is not key=value', () => {
    expect(parseKv('path=/x oops')).toEqual({ ok: false, bad: 'oops' });
  });

  it('keeps `=` inside a value', () => {
    expect(parseKv('line=a=b')).toEqual({ ok: true, args: { line: 'a=b' } });
  });
});

describe('parseFreeForm', () => {
  const opts = new Set(['creates', 'removes', 'chdir']);

  it('cuts out known options anywhere, leaving the rest', () => {
    expect(parseFreeForm('ls -l /x creates=/x chdir=/y', opts)).toEqual({ raw: 'ls -l /x', options: { creates: '/x', chdir: '/y' } });
    expect(parseFreeForm('chdir=/y ls -l', opts)).toEqual({ raw: 'ls -l', options: { chdir: '/y' } });
  });

  it('leaves unknown key=value words (program arguments) alone', () => {
    expect(parseFreeForm('env FOO=bar make', opts)).toEqual({ raw: 'env FOO=bar make', options: {} });
  });

  it('does not look inside quotes or templates', () => {
    expect(parseFreeForm(`echo "creates=/x" {{ 'chdir=/y' }}`, opts)).toEqual({
      raw: `echo "creates=/x" {{ 'chdir=/y' }}`,
      options: {},
    });
  });

  it('keeps a multi-line script exactly when nothing is cut', () => {
    const script = 'set -e\nif true; then\n  echo   spaced  \nfi\n';
    expect(parseFreeForm(script, opts)).toEqual({ raw: script, options: {} });
  });
});

describe('unquote', () => {
  it('strips one pair of matching quotes only', () => {
    expect(unquote('"a"')).toBe('a');
    expect(unquote(`'a'`)).toBe('a');
    expect(unquote(`"a'`)).toBe(`"a'`);
    expect(unquote('a')).toBe('a');
  });
});

describe('parseFreeForm matches Ansible\'s parse_kv(check_raw=True)', () => {
  const opts = new Set(['creates', 'removes', 'chdir']);
  it('on what ansible-core 2.14 gave for each line (lone `\\` words dropped, spacing kept)', () => {
    // Each expected value is what ansible.parsing.splitter.parse_kv returned for the input (run on this machine).
    const cases: Array<[string, string, Record<string, string>]> = [
      ["for s in a b; do \\\n echo $s; done", "for s in a b; do echo $s; done", {}],
      ["for ip in 1 2;do \\ ETCDCTL_API=3 etcdctl \\ --endpoints=https://\"$ip\":2379 \\ endpoint health; \\ done", "for ip in 1 2;do ETCDCTL_API=3 etcdctl --endpoints=https://\"$ip\":2379 endpoint health; done", {}],
      ["echo \"a \\ b\" 'c \\\nd'", "echo \"a \\ b\" 'c \\\nd'", {}],
      ["set -e\nif true; then\n  echo   spaced  \nfi\n", "set -e\nif true; then\n  echo   spaced  \nfi\n", {}],
      ["ls -l /x creates=/x chdir=/y", "ls -l /x", {"creates": "/x", "chdir": "/y"}],
      ["chdir=/y ls -l", "ls -l", {"chdir": "/y"}],
      ["echo \"creates=/x\" {{ 'chdir=/y' }}", "echo \"creates=/x\" {{ 'chdir=/y' }}", {}],
      ["echo {{ a \\ b }} x", "echo {{ a b }} x", {}],
      ["cmd\\\n\\\nnext", "cmd\\\nnext", {}],
      ["a  \\  b", "a   b", {}],
      ["echo hi \\", "echo hi", {}],
    ];
    for (const [input, raw, options] of cases) expect(parseFreeForm(input, opts), input).toEqual({ raw, options });
  });

  it('keeps text Ansible cannot split (an unbalanced quote) whole', () => {
    expect(parseFreeForm("echo don't \\\n  stop", opts)).toEqual({ raw: "echo don't \\\n  stop", options: {} });
  });
});
