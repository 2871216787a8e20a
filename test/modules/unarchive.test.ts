import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { differing, formatOfMagic, parseTarListing, parseZipListing, stripOf } from '../../src/modules/lib/archive-list.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-unarchive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'pkg/bin'), { recursive: true });
writeFileSync(join(dir, 'pkg/bin/tool'), 'abc');
writeFileSync(join(dir, 'pkg/with space.txt'), 'hello');
symlinkSync('bin/tool', join(dir, 'pkg/link'));

describe('unarchive listings (real tar and unzip output)', () => {
  it('tar -tvf: types, sizes, names with spaces, links; --strip-components', () => {
    execFileSync('tar', ['-czf', join(dir, 'a.tgz'), '-C', dir, 'pkg']);
    const out = execFileSync('tar', ['-tvf', join(dir, 'a.tgz')]).toString();
    const e = parseTarListing(out);
    expect(e).toEqual(
      expect.arrayContaining([
        { name: 'pkg', type: 'directory', size: 0 },
        { name: 'pkg/bin/tool', type: 'file', size: 3 },
        { name: 'pkg/with space.txt', type: 'file', size: 5 },
        { name: 'pkg/link', type: 'link', size: 0 },
      ]),
    );
    expect(parseTarListing(out, 1).map((x) => x.name).sort()).toEqual(['bin', 'bin/tool', 'link', 'with space.txt']);
    expect(stripOf(['--strip-components=1'])).toBe(1);
    expect(stripOf(['--strip-components', '2'])).toBe(2);
    expect(formatOfMagic(execFileSync('od', ['-An', '-tx1', '-N4', join(dir, 'a.tgz')]).toString())).toBe('tar');
  });
  it('unzip -l: files and directories', () => {
    execFileSync('zip', ['-qry', join(dir, 'a.zip'), 'pkg'], { cwd: dir });
    const e = parseZipListing(execFileSync('unzip', ['-l', join(dir, 'a.zip')]).toString());
    expect(e).toEqual(expect.arrayContaining([{ name: 'pkg/bin', type: 'directory', size: 0 }, { name: 'pkg/with space.txt', type: 'file', size: 5 }]));
    expect(formatOfMagic(execFileSync('od', ['-An', '-tx1', '-N4', join(dir, 'a.zip')]).toString())).toBe('zip');
  });
  it('differing: missing, wrong type, wrong size', () => {
    const entries = parseTarListing(execFileSync('tar', ['-tvf', join(dir, 'a.tgz')]).toString());
    const stat = 'missing|missing|pkg\n3|regular file|pkg/bin/tool\n4|regular file|pkg/with space.txt\n0|directory|pkg/bin\n';
    expect(differing(entries, stat).sort()).toEqual(['pkg', 'pkg/link', 'pkg/with space.txt']);
  });
});
