import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arcRoot, globWord } from './archive.js';

describe('archive helpers', () => {
  it("arcRoot is the common prefix of the sources' parents, cut back to a directory (Ansible's arcroot)", () => {
    expect(arcRoot(['/etc/step-ca/secrets', '/etc/step-ca/config'])).toBe('/etc/step-ca/');
    expect(arcRoot(['/a/bx/f', '/a/by/g'])).toBe('/a/');
    expect(arcRoot(['/var/lib/etcd/'])).toBe('/var/lib/');
    expect(arcRoot(['/x', '/y/z'])).toBe('/');
  });

  it('globWord quotes everything but the glob metacharacters, so the shell expands only those', () => {
    const d = mkdtempSync(join(tmpdir(), 'lb-archive-glob-'));
    mkdirSync(join(d, 'a b'));
    for (const f of ['x.log', 'y.log', 'z.txt', "q'.log"]) writeFileSync(join(d, 'a b', f), '');
    const out = execFileSync('sh', ['-c', `for p in ${globWord(`${d}/a b/*.log`)}; do echo "$p"; done`], { encoding: 'utf8' });
    expect(out.split('\n').filter(Boolean).map((p) => p.slice(d.length))).toEqual(["/a b/q'.log", '/a b/x.log', '/a b/y.log']);
    expect(globWord('/etc/[ab]?.conf')).toBe('/etc/[ab]?.conf');
    expect(globWord('/$(reboot)')).toBe("'/$(reboot)'");
  });
});
