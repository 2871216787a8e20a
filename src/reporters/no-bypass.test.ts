import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Lines of the printing/storing layers (reporters, planner, CLI) that match `re`, but for the allowed files. */
function offenders(re: RegExp, allowed: string[] = []): string[] {
  const out: string[] = [];
  for (const dir of ['reporters', 'planner', 'cli']) {
    for (const f of files(join(SRC, dir))) {
      const rel = relative(SRC, f);
      if (allowed.includes(rel)) continue;
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (re.test(line)) out.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  return out;
}

/**
 * Everything the reporters, the planner and the CLI print or store goes through the run's one SecretSet: they
 * write to a MaskedWriter (which cannot be made without one) or writeFileMasked. These fail when a new printer
 * or store bypasses it.
 */
describe('printers and stores go through the SecretSet', () => {
  it('no direct process.stdout / process.stderr / console use outside src/cli/io.ts', () => {
    expect(offenders(/\bconsole\.|process\.(stdout|stderr)\b/, ['cli/io.ts'])).toEqual([]);
  });

  it('no file written but through writeFileMasked', () => {
    expect(offenders(/\b(writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|writeSync)\b/)).toEqual([]);
  });

  it('reporters take no raw stream (only a MaskedWriter)', () => {
    expect(offenders(/NodeJS\.Writ|WritableStream|from 'node:(stream|fs|tty)'/).filter((l) => l.startsWith('reporters'))).toEqual([]);
  });
});
