import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT, LOCAL_INVENTORY, lifeboat, scratch } from './helpers.js';

/**
 * Secrets in every output path of the built CLI: plain, -v, --json (events and the human view), listr is
 * covered in src/reporters/secrets-paths.test.ts, warnings, errors, plan in every format and the --out file.
 * The secrets hold quotes, backslashes, a newline, regex metacharacters, and one contains another; the play's
 * `secret` variables become known mid-run, after the reporters were built.
 */
const BECOME = 'Ab"c\\d-XYZ';
const T1 = 'q"uo\\te-s3cr3t';
const T2 = 'tok.*[x]$1(y)|z';
const T3 = 'first\nsecond-line';
const T4 = "it's-a-s3cr3t";
const SHORT = 'pass-abc';
const LONG = 'pass-abc-longer';
const ALL = [BECOME, T1, T2, T3, T4, SHORT, LONG];
/** Pieces that must not appear either (a secret partly masked, or its JSON-escaped form). */
const PIECES = ['XYZ', 's3cr3t', 'a-s3', "it'", '[x]$1', 'second-line', '-longer', 'pass-abc'];

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    secret: [t1, t2, t3, t4, short, long]
    t4: "${T4}"
    t2: "${T2}"
    t3: "first\\nsecond-line"
    short: ${SHORT}
    long: ${LONG}
  tasks:
    - name: "shows {{ t2 }}"
      shell: "printf '%s\\\\n' \\"$T1\\" \\"$T2\\" \\"$T3\\" \\"$S\\" \\"$L\\""
      environment: { T1: "{{ t1 }}", T2: "{{ t2 }}", T3: "{{ t3 }}", S: "{{ short }}", L: "{{ long }}" }
      changed_when: false
    - debug: { msg: "debug {{ t1 }} {{ long }} {{ short }}" }
    - command: { argv: [printf, "%s|", "{{ t1 }}", "{{ t2 }}", "{{ long }}", "{{ short }}", "{{ t4 }}"] }
      changed_when: false
    - name: fails with them on stderr
      shell: "printf '%s %s\\\\n' \\"$T1\\" \\"$L\\" >&2; exit 3"
      environment: { T1: "{{ t1 }}", L: "{{ long }}" }
      ignore_errors: true
`;

function clean(text: string): void {
  for (const s of ALL) expect(text).not.toContain(s);
  for (const p of PIECES) expect(text).not.toContain(p);
  // JSON-escaped forms
  for (const s of ALL) expect(text).not.toContain(JSON.stringify(s).slice(1, -1));
}

describe.skipIf(!BUILT)('secrets never reach the CLI output', () => {
  const dir = scratch({ 'inv.yml': LOCAL_INVENTORY, 'pb.yml': PLAYBOOK });
  const inv = join(dir, 'inv.yml');
  const pb = join(dir, 'pb.yml');
  const env = { LIFEBOAT_BECOME_PASSWORD: BECOME };
  const e = ['-e', JSON.stringify({ t1: T1 })];

  it('run: plain, -v and --json (events and the human view)', () => {
    for (const args of [[], ['-v'], ['--json'], ['--json', '-v']]) {
      const r = lifeboat(['run', '-i', inv, ...e, ...args, pb], env);
      expect(r.code, r.stderr).toBe(0);
      clean(r.stdout + r.stderr);
      expect(r.stdout + r.stderr).toContain('********');
      if (args.includes('--json')) for (const l of r.stdout.trim().split('\n')) JSON.parse(l);
    }
    const v = lifeboat(['run', '-i', inv, ...e, '-v', pb], env);
    expect(v.stdout).toContain('TASK [shows ********]');
    expect(v.stdout).toContain('debug ******** ******** ********');
  });

  it('warnings and errors', () => {
    const w = lifeboat(['run', '-i', inv, '--start-at-task', BECOME, pb], env);
    expect(w.code).toBe(4);
    expect(w.stdout).toContain('no task named "********"');
    clean(w.stdout + w.stderr);
    const err = lifeboat(['run', '-i', inv, '-l', BECOME, pb], env);
    expect(err.code).toBe(4);
    expect(err.stderr).toContain('"********"');
    clean(err.stdout + err.stderr);
  });

  it('plan in every format and the --out file; apply asks for the secret -e input again and masks it', () => {
    const out = join(dir, 'plan.json');
    for (const format of ['text', 'json', 'markdown', 'html']) {
      const r = lifeboat(['plan', '-i', inv, ...e, '--format', format, '--diff', '--progress', '--out', out, pb], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("'********' '********'");
      clean(r.stdout + r.stderr);
      const saved = readFileSync(out, 'utf8');
      clean(saved);
      expect(JSON.parse(saved).inputs.secretExtraVars).toEqual(['t1']);
    }
    const refused = lifeboat(['apply', out], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('-e t1=');
    const applied = lifeboat(['apply', out, ...e, '-v'], env);
    expect(applied.code, applied.stderr).toBe(0);
    clean(applied.stdout + applied.stderr);
    expect(applied.stdout).toContain('debug ******** ******** ********');
  });
});
