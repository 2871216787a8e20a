import { describe, expect, it } from 'vitest';
import { dumpRepo, parseRepoFile, writeRepoFile } from './repo-file.js';

describe('.repo files as configparser reads and writes them', () => {
  it('continuations, comments, `:` separators, upper-case keys; written back configparser-style', () => {
    const text = '# top\n[base]\nName: Base\nBASEURL = http://a\n  http://b\n; note\ngpgcheck=1\n\n[extra]\nenabled = 0\n';
    const s = parseRepoFile(text);
    expect(s).toEqual([
      { name: 'base', entries: [['name', 'Base'], ['baseurl', 'http://a\nhttp://b'], ['gpgcheck', '1']] },
      { name: 'extra', entries: [['enabled', '0']] },
    ]);
    expect(writeRepoFile(s)).toBe('[base]\nname = Base\nbaseurl = http://a\n\thttp://b\ngpgcheck = 1\n\n[extra]\nenabled = 0\n\n');
    expect(dumpRepo(s)).toBe('[base]\nbaseurl = http://a\nhttp://b\ngpgcheck = 1\nname = Base\n\n[extra]\nenabled = 0\n\n');
  });
});
