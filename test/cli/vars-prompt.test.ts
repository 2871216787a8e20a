import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT, LOCAL_INVENTORY, lifeboat, scratch } from './helpers.js';

describe.skipIf(!BUILT)('vars_prompt through the CLI (no terminal: spawned with pipes)', () => {
  const files = (dir = '') => ({
    'inv.yml': LOCAL_INVENTORY,
    'pb.yml': `- hosts: all
  gather_facts: false
  vars_prompt:
    - name: token
      prompt: API token
    - name: region
      default: eu-1
      private: false
  tasks:
    - shell: echo "{{ region }} {{ token }}" > ${dir || '/dev/null'}
    - debug: { msg: "token is {{ token }}" }
`,
  });

  it('refuses before anything runs, naming the var and the -e that gives it', () => {
    const dir = scratch(files());
    const r = lifeboat(['run', '-i', join(dir, 'inv.yml'), join(dir, 'pb.yml')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/pb\.yml:4:7: vars_prompt: no terminal to ask "API token" for `token`/);
    expect(r.stderr).toContain('-e token=…');
    expect(r.stdout).not.toMatch(/TASK|PLAY/);
  });

  it('with -e it runs; the default fills the other; the private value is masked in the output', () => {
    const dir = scratch({});
    const out = join(dir, 'out');
    const d2 = scratch(files(out));
    const r = lifeboat(['run', '-i', join(d2, 'inv.yml'), join(d2, 'pb.yml'), '-e', 'token=tok-123456', '-v']);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('eu-1 tok-123456\n');
    expect(r.stdout + r.stderr).not.toContain('tok-123456');
  });
});
