import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = import.meta.dirname;

/**
 * Every byte a reporter prints goes through its masker: a line that writes to a stream must either call the
 * reporter's own masked `write` (this.write) or mask on that very line. Fails when a new printer bypasses it.
 */
describe('reporters print only through their masker', () => {
  it('no unmasked stream write or console call in src/reporters', () => {
    const offenders: string[] = [];
    for (const f of readdirSync(DIR)) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
      readFileSync(join(DIR, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\bconsole\.|process\.(stdout|stderr)\.write/.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
          else if (/\.write\(/.test(line) && !/this\.write\(/.test(line) && !/mask/i.test(line)) {
            offenders.push(`${f}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(offenders).toEqual([]);
  });
});
