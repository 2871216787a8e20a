import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LifeboatError, LifeboatErrors } from '../errors.js';
import { loadPlaybook } from './index.js';

const BAD = resolve(import.meta.dirname, '../../test/fixtures/playbooks/bad');

/** Load a bad fixture; give its errors as [line, col, code, message] (the file must be the fixture). */
async function problems(name: string): Promise<LifeboatError[]> {
  try {
    await loadPlaybook(join(BAD, name));
  } catch (e) {
    if (e instanceof LifeboatErrors) return e.errors;
    throw e;
  }
  throw new Error(`${name} loaded without errors`);
}

function rows(errs: LifeboatError[]): Array<[string, number | undefined, number | undefined, string]> {
  return errs.map((e) => [e.src?.file.slice(BAD.length + 1) ?? '', e.src?.line, e.src?.col, e.message]);
}

describe('malformed playbooks: every error with its message and position', () => {
  it('broken indentation', async () => {
    const errs = await problems('indent.yml');
    expect(errs[0]?.code).toBe('E_YAML');
    expect(rows(errs)[0]).toEqual(['indent.yml', 5, 6, 'YAML: All sequence items must start at the same column']);
  });

  it('a tab in the indentation', async () => {
    const errs = await problems('tab.yml');
    expect(rows(errs)).toEqual([['tab.yml', 4, 1, 'YAML: a tab character in the indentation']]);
    expect(errs[0]?.hint).toMatch(/spaces/);
  });

  it('a duplicate key', async () => {
    expect(rows(await problems('dupkey.yml'))).toEqual([['dupkey.yml', 5, 7, 'YAML: Map keys must be unique']]);
  });

  it('an unknown module, with the nearest name', async () => {
    const errs = await problems('unknown-module.yml');
    expect(rows(errs)).toEqual([['unknown-module.yml', 4, 7, 'unknown module `comand` — did you mean `command`?']]);
    expect(errs[0]?.code).toBe('E_MODULE');
    expect(errs[0]?.format()).toBe(
      `${join(BAD, 'unknown-module.yml')}:4:7: unknown module \`comand\` — did you mean \`command\`?\n  hint: docs/modules.md lists the modules`,
    );
  });

  it('a wrong argument type (a templated value of the same argument is left for the run)', async () => {
    expect(rows(await problems('wrong-type.yml'))).toEqual([
      ['wrong-type.yml', 7, 17, 'argument `backup` of module `copy` must be a boolean (true/false), got the string "sometimes"'],
    ]);
  });

  it('a missing required argument', async () => {
    const errs = await problems('missing-arg.yml');
    expect(rows(errs)).toEqual([['missing-arg.yml', 4, 7, 'module `copy` needs argument `dest`']]);
    expect(errs[0]?.hint).toBe('add `dest:` to the task');
  });

  it('misspelled play keyword, task keyword and argument, each with the nearest valid name', async () => {
    expect(rows(await problems('misspelled.yml'))).toEqual([
      ['misspelled.yml', 3, 3, 'unknown play keyword `gather_fact` — did you mean `gather_facts`?'],
      ['misspelled.yml', 7, 7, 'unknown task keyword `retires` — did you mean `retries`?'],
      ['misspelled.yml', 10, 9, 'module `copy` has no argument `dset` — did you mean `dest`?'],
    ]);
  });

  it('a role dependency cycle, with the chain', async () => {
    const errs = await problems('cycle/site.yml');
    expect(rows(errs)).toEqual([
      ['cycle/roles/gamma/meta/main.yml', 2, 5, 'role dependency cycle: alpha → beta → gamma → alpha'],
    ]);
    expect(errs[0]?.code).toBe('E_ROLE');
  });

  it('two module keys in one task', async () => {
    expect(rows(await problems('two-modules.yml'))).toEqual([
      ['two-modules.yml', 5, 7, 'a task runs one module, and this one has two: `command` and `shell`'],
    ]);
  });

  it('reports every problem of a file in one pass', async () => {
    expect(rows(await problems('many.yml'))).toEqual([
      ['many.yml', 3, 11, '`serial` must be a number ≥ 1, a percentage like "30%", or a list of them, got the string "many"'],
      ['many.yml', 7, 13, '`when` must be a condition (a bare Jinja expression), a boolean, or a list of them, got number 3'],
      [
        'many.yml',
        11,
        16,
        'argument `state` of module `file` must be one of "file", "directory", "absent", "link", "hard", "touch", got the string "everywhere"',
      ],
      ['many.yml', 17, 13, '`loop` needs a list or a template giving one, got the plain string "not_a_list"'],
      ['many.yml', 23, 7, 'role `comon` not found'],
    ]);
  });
});
