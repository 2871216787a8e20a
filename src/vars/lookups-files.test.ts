import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderValue } from './index.js';

const where = { src: { file: 'site.yml', line: 1, col: 1 }, host: 'h1', field: 'loop' };

describe('file lookups (with_first_found, with_fileglob, with_flattened)', () => {
  const d = mkdtempSync(join(tmpdir(), 'lb-lookups-'));
  mkdirSync(join(d, 'vars'));
  mkdirSync(join(d, 'files'));
  writeFileSync(join(d, 'vars/debian.yml'), 'x: 1\n');
  writeFileSync(join(d, 'files/a.conf'), '');
  writeFileSync(join(d, 'files/b.conf'), '');
  writeFileSync(join(d, 'files/c.txt'), '');
  const vars = { playbook_dir: d, terms: [{ files: ['ubuntu.yml', 'debian.yml'], paths: ['vars/'] }] };

  it('first_found: the first existing file of the list, in the given paths', () => {
    expect(renderValue("{{ query('first_found', terms) }}", vars, where)).toEqual([join(d, 'vars/debian.yml')]);
  });

  it('first_found: none found is an error, or nothing with skip', () => {
    expect(() => renderValue("{{ query('first_found', ['nope.yml']) }}", vars, where)).toThrow(/none of the files exists/);
    expect(renderValue("{{ query('first_found', [{'files': ['nope.yml'], 'skip': true}]) }}", vars, where)).toEqual([]);
  });

  it('fileglob: matching files in files/, sorted', () => {
    expect(renderValue("{{ query('fileglob', ['*.conf']) }}", vars, where)).toEqual([join(d, 'files/a.conf'), join(d, 'files/b.conf')]);
    expect(renderValue(`{{ query('fileglob', ['${d}/files/*.txt']) }}`, vars, where)).toEqual([join(d, 'files/c.txt')]);
  });

  it('flattened: every level', () => {
    expect(renderValue("{{ query('flattened', [1, [2, [3, [4]]]]) }}", vars, where)).toEqual([1, 2, 3, 4]);
  });
});
