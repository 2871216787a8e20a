import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../playbook/index.js';
import { readPlaybook } from '../playbook/load.js';
import { SecretSet } from '../secrets.js';
import { askVarsPrompts, type PromptIo } from './vars-prompt.js';

async function playbook(yaml: string) {
  const d = mkdtempSync(join(tmpdir(), 'lb-vp-'));
  writeFileSync(join(d, 'site.yml'), yaml);
  return { pb: await loadPlaybook(join(d, 'site.yml')), file: join(d, 'site.yml') };
}

const YAML = `
- hosts: all
  vars_prompt:
    - name: release
      prompt: Which release?
      private: no
      default: v1
    - name: db_password
      prompt: Database password
      confirm: yes
  tasks: []
`;

function scripted(answers: string[], tty = true): PromptIo & { asked: Array<[string, boolean]>; said: string[] } {
  const asked: Array<[string, boolean]> = [];
  const said: string[] = [];
  return {
    tty,
    asked,
    said,
    say: (t) => said.push(t),
    ask: async (q, hidden) => {
      asked.push([q, hidden]);
      return answers.shift() ?? '';
    },
  };
}

describe('vars_prompt', () => {
  it('asks on a terminal (private by default, hidden), confirm twice, default on an empty answer; answers are play vars', async () => {
    const { pb } = await playbook(YAML);
    const secrets = new SecretSet();
    const io = scripted(['', 's3cret-pw', 'nope', 's3cret-pw', 's3cret-pw']);
    await askVarsPrompts([pb], {}, secrets, io);
    expect(io.asked).toEqual([
      ['Which release? [v1]: ', false],
      ['Database password: ', true],
      ['confirm Database password: ', true],
      ['Database password: ', true],
      ['confirm Database password: ', true],
    ]);
    expect(io.said.join('')).toMatch(/do not match/);
    expect(pb.plays[0]?.vars).toMatchObject({ release: 'v1', db_password: 's3cret-pw' });
    expect(secrets.mask('pw is s3cret-pw')).toBe('pw is ********');
    expect(secrets.mask('v1')).toBe('v1');
  });

  it('a variable given with -e is not asked', async () => {
    const { pb } = await playbook(YAML);
    const io = scripted(['typed']);
    await askVarsPrompts([pb], { db_password: 'from-e' }, new SecretSet(), io);
    expect(io.asked.map((a) => a[0])).toEqual(['Which release? [v1]: ']);
    expect(pb.plays[0]?.vars.db_password).toBeUndefined();
  });

  it('without a terminal: the default is taken, and a prompt without one is refused naming the var and -e', async () => {
    const { pb, file } = await playbook(YAML);
    const err = await askVarsPrompts([pb], {}, new SecretSet(), scripted([], false)).catch((e: Error) => e);
    expect(String(err)).toMatch(/site\.yml:8:7: vars_prompt: no terminal to ask "Database password" for `db_password`/);
    expect((err as unknown as { errors: Array<{ hint?: string }> }).errors[0]?.hint).toBe('pass it on the command line: -e db_password=…');
    expect(String(err)).toContain(file);
    await askVarsPrompts([pb], { db_password: 'x' }, new SecretSet(), scripted([], false));
    expect(pb.plays[0]?.vars.release).toBe('v1');
  });

  it('unsafe answers are data (templates in them are not rendered); encrypt is refused at load', async () => {
    const { pb } = await playbook(`
- hosts: all
  vars_prompt: [{ name: raw, private: false, unsafe: true }]
  tasks: []
`);
    await askVarsPrompts([pb], {}, new SecretSet(), scripted(['{{ not_a_var }}']));
    expect(pb.plays[0]?.vars.raw).toBe('{% raw %}{{ not_a_var }}{% endraw %}');
    const d = mkdtempSync(join(tmpdir(), 'lb-vp-'));
    writeFileSync(join(d, 'site.yml'), '- hosts: all\n  vars_prompt: [{ name: pw, encrypt: sha512_crypt }]\n  tasks: []\n');
    const { errors } = await readPlaybook(join(d, 'site.yml'));
    expect(errors.map((e) => e.format()).join('\n')).toMatch(/`vars_prompt` `encrypt` is not supported/);
  });
});
