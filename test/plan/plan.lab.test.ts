import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/planner/index.js';
import { labSkipReason, withLab } from '../lab/fixture.js';
import { renderPlanHtml, renderPlanMarkdown } from '../../src/planner/index.js';
import { compareRun, entry, FIXTURES, hostState, lifeboat, ndjson } from './cli.js';

/**
 * `lifeboat plan` / `apply` through the real CLI against a 3-host lab over SSH: the planner's features on a
 * small playbook (test/plan/fixtures/site.yml), masking in every format, refusal of stale plans, and an apply
 * that runs exactly the plan. The etcd restore's plan is in restore.lab.test.ts.
 */
const skip = labSkipReason();
const DB_PASSWORD = 'S3cretPW-db-9921';
const BECOME_PASSWORD = 'BecomePW-7733-x';
const HIDDEN = 'zebra-orchid-4711'; // a value only a no_log task uses (site.yml)
const SECRETS = [DB_PASSWORD, BECOME_PASSWORD, HIDDEN];

describe.skipIf(skip)('lifeboat plan on lab hosts (generic playbook)', () => {
  const lab = withLab({ hosts: 3 });
  let dir: string;
  let pb: string;
  let inv: string;
  const secretArgs = ['-e', `db_password=${DB_PASSWORD}`, '-e', `ansible_become_password=${BECOME_PASSWORD}`];
  const planArgs = (...more: string[]) => ['plan', '-i', inv, pb, ...secretArgs, ...more];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lb-plan-test-'));
    cpSync(FIXTURES, dir, { recursive: true });
    pb = join(dir, 'site.yml');
    inv = lab().inventoryYaml;
    for (const h of ['node1', 'node2', 'node3']) {
      const r = await lab().sh(h, "mkdir -p /tmp/lbplan && printf 'nofile = 1024\\nproc = 10\\n' > /tmp/lbplan/limits.conf");
      expect(r.rc).toBe(0);
    }
    await lab().sh('node1', "printf 'listen = old\\nlevel = warn\\n' > /tmp/lbplan/app.conf");
  }, 240_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 240_000);

  it('shows when-skips, register dependencies, loops, serial batches, run_once, delegate_to and diffs; changes nothing', async () => {
    const before = await Promise.all(['node1', 'node2', 'node3'].map((h) => hostState(lab(), h)));
    const r = await lifeboat(planArgs('--format', 'json', '--diff'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    const after = await Promise.all(['node1', 'node2', 'node3'].map((h) => hostState(lab(), h)));
    expect(after).toEqual(before);

    expect(plan.schema).toBe('lifeboat.plan/v1');
    const play = plan.plays[0];
    expect(play?.batches).toEqual([['node1', 'node2'], ['node3']]);
    // serial: each host's entries carry its batch
    expect(entry(plan, 'Write the app config', 'node2').batch).toBe(0);
    expect(entry(plan, 'Write the app config', 'node3').batch).toBe(1);
    // when
    const skipped = entry(plan, 'Only on node1', 'node2');
    expect(skipped.status).toBe('skip');
    expect(skipped.reason).toContain("inventory_hostname == 'node1'");
    expect(skipped.steps).toEqual([]);
    expect(entry(plan, 'Only on node1', 'node1').steps.map((s) => s.text)).toEqual(['echo only-node1']);
    // a registered result the plan cannot know
    const dep = entry(plan, 'Uses the register', 'node1');
    expect(dep.status).toBe('unknown');
    expect(dep.reason).toContain('`up`');
    // loops: one entry per item, each with its own step
    expect(entry(plan, 'Touch the marker files', 'node2', 'alpha').steps.map((s) => s.text)).toEqual(['touch -- /tmp/lbplan/alpha']);
    expect(entry(plan, 'Touch the marker files', 'node2', 'beta').steps.map((s) => s.text)).toEqual(['touch -- /tmp/lbplan/beta']);
    // run_once: once per batch, on the batch's first host, and said so for the others
    expect(entry(plan, 'Once for all', 'node1').steps.map((s) => s.text)).toEqual(['echo once']);
    expect(entry(plan, 'Once for all', 'node2')).toMatchObject({ runOn: 'node1', steps: [] });
    expect(entry(plan, 'Once for all', 'node3').steps.map((s) => s.text)).toEqual(['echo once']);
    // delegate_to: the host's command, run on node3
    expect(entry(plan, 'Delegated to node3', 'node1')).toMatchObject({ runOn: 'node3', steps: [{ text: 'echo delegated from node1' }] });
    // file changes: the content diff, and the destructive mark on replacing an existing file
    const copy1 = entry(plan, 'Write the app config', 'node1');
    expect(copy1.diff?.[0]).toMatchObject({ path: '/tmp/lbplan/app.conf', before: 'listen = old\nlevel = warn\n' });
    expect(copy1.diff?.[0]?.after).toContain('listen = 10.251.');
    expect(copy1.destructive.length).toBe(1);
    expect(entry(plan, 'Set the limits line', 'node3').diff?.[0]?.after).toBe('nofile = 65536\nproc = 10\n');
    expect(entry(plan, 'Render the motd', 'node2').diff?.[0]).toMatchObject({ path: '/tmp/lbplan/motd', before: '', after: expect.stringContaining('Welcome to node2 (10.251.') });
    expect(entry(plan, 'Touch the marker files', 'node1', 'beta').diff?.[0]?.path).toBe('/tmp/lbplan/beta');
    // facts probed, not assumed: the config dir exists everywhere
    expect(entry(plan, 'Make the config dir', 'node3').status).toBe('ok');
    expect(plan.summary.skipped).toBe(2);
  }, 240_000);

  it('--offline connects to no host and says what it cannot know', async () => {
    const count = async () => (await Promise.all(['node1', 'node2', 'node3'].map((h) => lab().sh(h, 'grep -c Accepted /var/log/sshd.log || true')))).map((x) => x.stdout.trim());
    const before = await count();
    const out = join(dir, 'offline.plan.json');
    const r = await lifeboat(planArgs('--format', 'json', '--offline', '--out', out));
    expect(r.code).toBe(0);
    expect(await count()).toEqual(before);
    // nothing was probed, so there is nothing to hold the present against: apply refuses it
    const a = await lifeboat(['apply', out, ...secretArgs]);
    expect(a.code).toBe(4);
    expect(a.stderr).toContain('is an offline plan');
    expect(await count()).toEqual(before);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.offline).toBe(true);
    const e = entry(plan, 'Write the app config', 'node1');
    expect(e.status).toBe('unknown');
    expect(e.reason).toContain('offline');
    expect(entry(plan, 'Only on node1', 'node2').status).toBe('skip');
  }, 240_000);

  // One plan, saved, shared by the masking and apply tests below (apply must accept it until something changes).
  let saved: string;

  it('never shows a secret -e value, a become password or a no_log task in any format', async () => {
    saved = join(dir, 'site.plan.json');
    const r = await lifeboat(planArgs('--diff', '--out', saved));
    expect(r.code).toBe(0);
    // the password is in the copied file's content: the diff shows the line, masked
    expect(r.stdout).toContain('+password = ********');
    expect(r.stdout).toContain('the output has been hidden due to no_log: true');
    const plan = JSON.parse(readFileSync(saved, 'utf8')) as Plan;
    expect(plan.inputs.extraVars).toMatchObject({ db_password: '********', ansible_become_password: '********' });
    // `lifeboat run --check` is the same plan
    const check = await lifeboat(['run', '--check', '--diff', '-i', inv, pb, ...secretArgs]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Lifeboat plan · ');
    expect(check.stdout).toContain('+password = ********');
    const texts = [r.stdout, r.stderr, check.stdout, check.stderr, readFileSync(saved, 'utf8'), renderPlanMarkdown(plan, { diff: true }), renderPlanHtml(plan)];
    for (const t of texts) for (const s of SECRETS) expect(t).not.toContain(s);
  }, 240_000);

  it('apply refuses a plan whose input file changed, naming the file', async () => {
    const varsFile = join(dir, 'vars/app.yml');
    const template = join(dir, 'templates/motd.j2');
    const old = readFileSync(varsFile, 'utf8');
    const oldTemplate = readFileSync(template, 'utf8');
    writeFileSync(varsFile, old.replace('info', 'debug'));
    writeFileSync(template, `${oldTemplate}Have a nice day.\n`);
    try {
      const r = await lifeboat(['apply', saved, ...secretArgs]);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`changed since the plan: ${template}`);
      expect(r.stderr).toContain(`changed since the plan: ${varsFile}`);
      expect(r.stderr).toContain('make a new plan');
      expect(await lab().sh('node2', 'test -e /tmp/lbplan/app.conf')).toMatchObject({ rc: 1 });
    } finally {
      writeFileSync(varsFile, old);
      writeFileSync(template, oldTemplate);
    }
  }, 240_000);

  it('apply refuses without the masked secrets, and refuses when a probed file changed on a host', async () => {
    const noSecret = await lifeboat(['apply', saved]);
    expect(noSecret.code).toBe(4);
    expect(noSecret.stderr).toContain('db_password');
    expect(noSecret.stderr).not.toContain(DB_PASSWORD);

    await lab().sh('node3', "printf 'nofile = 2048\\nproc = 10\\n' > /tmp/lbplan/limits.conf");
    try {
      const r = await lifeboat(['apply', saved, ...secretArgs]);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('task "Set the limits line" on node3: /tmp/lbplan/limits.conf on the host changed since the plan');
      expect(await lab().sh('node1', 'test -e /tmp/lbplan/alpha')).toMatchObject({ rc: 1 });
    } finally {
      await lab().sh('node3', "printf 'nofile = 1024\\nproc = 10\\n' > /tmp/lbplan/limits.conf");
    }
  }, 240_000);

  it('apply of an unchanged plan runs exactly the planned steps and exits 0', async () => {
    const out = saved;
    const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
    const r = await lifeboat(['apply', out, ...secretArgs, '--json']);
    expect(r.stderr).toContain('still matches the present');
    expect(r.code).toBe(0);
    for (const s of SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
    const { mismatches, compared } = compareRun(plan, ndjson(r.stdout));
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(20);
    expect((await lab().sh('node2', 'cat /tmp/lbplan/limits.conf')).stdout).toBe('nofile = 65536\nproc = 10\n');
    expect((await lab().sh('node3', 'ls /tmp/lbplan')).stdout.split('\n')).toEqual(expect.arrayContaining(['alpha', 'beta', 'app.conf']));
  }, 240_000);
});
