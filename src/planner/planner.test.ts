import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../executor/events.js';
import type { Inventory } from '../inventory/types.js';
import { painter } from '../reporters/color.js';
import { buildPlan } from './build.js';
import { diffPlans } from './compare.js';
import { computeInputs, diffInputs } from './inputs.js';
import { renderPlanHtml } from './render-html.js';
import { renderPlanMarkdown } from './render-markdown.js';
import { renderPlanText, unifiedDiff } from './render-text.js';
import { reasonText } from './text-common.js';
import type { PlanInputs } from '../plan-types.js';
import { SecretSet } from '../secrets.js';

const ts = '2026-11-22T00:00:00.000Z';
const inputs: PlanInputs = { playbooks: ['pb.yml'], inventory: ['inv'], tags: [], skipTags: [], extraVars: {}, rolesPath: [], files: { 'pb.yml': 'aa' }, hash: 'h1' };

function events(restoreName = 'etcd-node1'): RunEvent[] {
  return [
    { type: 'run_start', ts, v: 1, playbook: 'pb.yml', check: true },
    { type: 'play_start', ts, play: 'restore', playIndex: 0, hosts: ['node1', 'node2'] },
    { type: 'batch_start', ts, play: 'restore', batchIndex: 0, hosts: ['node1'] },
    { type: 'batch_start', ts, play: 'restore', batchIndex: 1, hosts: ['node2'] },
    { type: 'task_start', ts, play: 'restore', task: 'stop etcd', taskId: 't1', file: 'pb.yml', line: 5, hosts: ['node1', 'node2'] },
    {
      type: 'host_plan', ts, play: 'restore', taskId: 't1', task: 'stop etcd', host: 'node1', batchIndex: 0, status: 'change',
      steps: [{ kind: 'exec', text: `etcdctl snapshot restore --name ${restoreName}`, destructive: 'restores etcd data' }],
      destructive: ['restores etcd data'], notes: ['member list: a,b,c'],
    },
    {
      type: 'host_plan', ts, play: 'restore', taskId: 't1', task: 'stop etcd', host: 'node2', batchIndex: 1, status: 'skip',
      steps: [], destructive: [], reason: "Conditional result was False: inventory_hostname == 'node1'",
      why: { kind: 'when-false', expr: "inventory_hostname == 'node1'" },
    },
    { type: 'task_start', ts, play: 'restore', task: 'show', taskId: 't2', file: 'pb.yml', line: 9, hosts: ['node1', 'node2'] },
    {
      type: 'host_plan', ts, play: 'restore', taskId: 't2', task: 'show', host: 'node1', batchIndex: 0, status: 'unknown',
      steps: [], destructive: [], reason: 'depends on register `out`, unknown until run', runOn: 'node2',
      why: { kind: 'unknown-value', variable: 'out', source: 'register' },
      diff: [{ path: '/etc/x.conf', before: 'a\nb\n', after: 'a\nc\n' }],
    },
  ];
}

describe('buildPlan', () => {
  it('groups host plans under their tasks and plays, keeps batches, and counts the summary', () => {
    const plan = buildPlan(events(), { inputs, lifeboat: '0.1.0', offline: false, now: new Date(ts) });
    expect(plan.schema).toBe('lifeboat.plan/v1');
    expect(plan.plays).toHaveLength(1);
    expect(plan.plays[0]?.batches).toEqual([['node1'], ['node2']]);
    expect(plan.plays[0]?.tasks.map((t) => [t.name, t.line, t.hosts.length])).toEqual([['stop etcd', 5, 2], ['show', 9, 1]]);
    expect(plan.summary).toEqual({ hosts: 2, tasks: 2, changes: 1, destructive: 1, unknown: 1, skipped: 1, failed: 0 });
  });
});

describe('renderers', () => {
  const plan = buildPlan(events(), { inputs, lifeboat: '0.1.0', offline: false, now: new Date(ts) });
  it('text: summary first (counts, destructive steps, unknowns), commands with destructive marks, skip reasons, run-on host, batches, diffs', () => {
    const t = renderPlanText(plan, painter(false), { diff: true });
    const lines = t.split('\n');
    expect(lines[0]).toBe('Lifeboat plan · pb.yml · made 2026-11-22 00:00:00 UTC');
    expect(lines[1]).toBe('  2 host(s) · 2 task(s) · 1 change(s) · 1 DESTRUCTIVE · 1 unknown until run · 1 skipped · 0 will fail');
    // the summary lists the destructive task with its hosts and what it destroys, before any detail
    expect(lines.slice(2, 6)).toEqual(['', '⚠ DESTRUCTIVE STEPS in 1 task(s) — read them before you apply:', '     1  stop etcd', '        on node1: restores etcd data']);
    expect(t.indexOf('? UNKNOWN UNTIL RUN in 1 task(s):')).toBeLessThan(t.indexOf('PLAY 1: restore'));
    expect(t).toContain('PLAY 1: restore — hosts: node1 node2 · serial batches: [node1] [node2]');
    expect(t).toContain('$ etcdctl snapshot restore --name etcd-node1\n             ⚠ DESTRUCTIVE: restores etcd data');
    expect(t).toMatch(/⚠ node1\s+WILL CHANGE \[batch 1\]/);
    expect(t).toContain("skip [batch 2] (when: inventory_hostname == 'node1' — false)");
    expect(t).toContain('→ runs on node2');
    expect(t).toContain('unknown until run');
    expect(t).toContain('           -b\n           +c');
  });
  it('text: hosts with the same outcome share a line; a multi-line command keeps its lines under the $', () => {
    const ev = events().map((e) => (e.type === 'host_plan' && e.host === 'node2' && e.taskId === 't1' ? { ...e, reason: undefined, why: undefined, status: 'skip' as const, batchIndex: 0 } : e));
    const two = buildPlan(
      [
        ...ev.slice(0, 5),
        { type: 'host_plan', ts, play: 'restore', taskId: 't1', task: 'stop etcd', host: 'node1', batchIndex: 0, status: 'skip', steps: [], destructive: [] },
        { type: 'host_plan', ts, play: 'restore', taskId: 't1', task: 'stop etcd', host: 'node2', batchIndex: 0, status: 'skip', steps: [], destructive: [] },
        { type: 'task_start', ts, play: 'restore', task: 'script', taskId: 't3', hosts: ['node1'] },
        { type: 'host_plan', ts, play: 'restore', taskId: 't3', task: 'script', host: 'node1', batchIndex: 0, status: 'unknown', steps: [{ kind: 'exec', text: 'a\nb' }], destructive: [] },
      ],
      { inputs, lifeboat: '0.1.0', offline: false, now: new Date(ts) },
    );
    const t = renderPlanText(two, painter(false));
    expect(t).toContain('1 command run(s) whose outcome shows at run time · 0 unknown until run');
    expect(t).toContain('       node1, node2 skip');
    expect(t).toContain('node1        WILL RUN [batch 1] (outcome known only when it runs)\n           $ a\n             b\n');
  });
  it('markdown: the destructive steps first, then a table row per task and host with exact commands', () => {
    const md = renderPlanMarkdown(plan);
    expect(md).toContain('## ⚠️ Destructive steps\n\n- **1. stop etcd** on node1: restores etcd data\n');
    expect(md).toContain('| 1 | stop etcd | node1 [batch 1] | ⚠️ **will change** | <code>etcdctl snapshot restore --name etcd-node1</code> ⚠️ **restores etcd data**<br>member list: a,b,c |');
    expect(md).toContain("| 1 | stop etcd | node2 [batch 2] | skip | when: inventory_hostname == 'node1' — false |");
    expect(md).toContain('| 2 | 2 | 1 | 1 | 1 | 1 | 0 |');
    expect(md.indexOf('Destructive steps')).toBeLessThan(md.indexOf('## Play 1'));
  });
  it('markdown: a command with a pipe and a newline stays one exact cell', () => {
    const ev = events().map((e) => (e.type === 'host_plan' && e.taskId === 't1' && e.host === 'node1' ? { ...e, steps: [{ kind: 'exec' as const, text: 'a | b\nc <d>' }] } : e));
    const md = renderPlanMarkdown(buildPlan(ev, { inputs, lifeboat: '0.1.0', offline: false, now: new Date(ts) }));
    expect(md).toContain('<code>a &#124; b<br>c &lt;d&gt;</code>');
  });
  it('html: a self-contained page with an SVG timeline and destructive cells outlined', () => {
    const html = renderPlanHtml(plan);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('stroke="#cf222e"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
  it('unifiedDiff marks removed and added lines', () => {
    expect(unifiedDiff('f', 'a\nb\n', 'a\nc\n').slice(2)).toEqual([' a', '-b', '+c']);
    expect(unifiedDiff('f', '', 'x\n').slice(2)).toEqual(['+x']);
  });
});

describe('stale plans', () => {
  it('a re-probed plan with other commands or facts differs, an identical one does not', () => {
    const a = buildPlan(events(), { inputs, lifeboat: '0.1.0', offline: false });
    const same = buildPlan(events(), { inputs, lifeboat: '0.1.0', offline: false });
    const other = buildPlan(events('etcd-renamed'), { inputs, lifeboat: '0.1.0', offline: false });
    expect(diffPlans(a, same)).toEqual([]);
    expect(a.factsHash).toBe(same.factsHash);
    expect(a.factsHash).not.toBe(other.factsHash);
    const d = diffPlans(a, other);
    expect(d).toHaveLength(1);
    expect(d[0]).toContain('commands differ');
    expect(d[0]).toContain('etcd-renamed');
  });

  it('a file on the host that changed since the plan (the diff it compared against) makes the plan stale', () => {
    const withBefore = (before: string) =>
      buildPlan(
        events().map((e) => (e.type === 'host_plan' && e.taskId === 't2' ? { ...e, diff: [{ path: '/etc/x.conf', before, after: 'a\nc\n' }] } : e)),
        { inputs, lifeboat: '0.1.0', offline: false },
      );
    const a = withBefore('a\nb\n');
    expect(diffPlans(a, withBefore('a\nb\n'))).toEqual([]);
    const d = diffPlans(a, withBefore('a\nB\n'));
    expect(d).toEqual(['task "show" on node1: /etc/x.conf on the host changed since the plan (its content is not what the plan compared)']);
    expect(a.factsHash).not.toBe(withBefore('a\nB\n').factsHash);
  });

  it('input hashing notices a changed inventory file and changed extra vars', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-plan-'));
    const invFile = join(dir, 'hosts');
    const pbFile = join(dir, 'pb.yml');
    writeFileSync(invFile, '[etcd]\nnode1\n');
    writeFileSync(pbFile, '- hosts: all\n  tasks: []\n');
    const inventory: Inventory = { hosts: new Map(), groups: new Map(), order: [], sources: [invFile] };
    const src = { inventory, inventoryPaths: [invFile], playbooks: [], playbookFiles: [pbFile], tags: [], skipTags: [], extraVars: { a: 1 }, rolesPath: [], secrets: new SecretSet() };
    const before = computeInputs(src);
    expect(diffInputs(before, computeInputs(src))).toEqual([]);
    writeFileSync(invFile, '[etcd]\nnode1\nnode2\n');
    const after = computeInputs({ ...src, extraVars: { a: 2 } });
    expect(diffInputs(before, after)).toEqual([`changed since the plan: ${invFile}`, 'extra vars (-e) differ']);
  });

  it('secrets in extra vars are masked in the saved inputs', () => {
    const inventory: Inventory = { hosts: new Map(), groups: new Map(), order: [], sources: [] };
    const i = computeInputs({ inventory, inventoryPaths: [], playbooks: [], playbookFiles: [], tags: [], skipTags: [], extraVars: { pw: 'hunter22' }, rolesPath: [], secrets: new SecretSet(['hunter22']) });
    expect(JSON.stringify(i)).not.toContain('hunter22');
  });

  it('a secret with a quote and a backslash is masked before serialising (not inside JSON text)', () => {
    const inventory: Inventory = { hosts: new Map(), groups: new Map(), order: [], sources: [] };
    const pw = 'Ab"c\\d-XYZ';
    const i = computeInputs({ inventory, inventoryPaths: [], playbooks: [], playbookFiles: [], tags: [], skipTags: [], extraVars: { become_pass: pw, nested: [`x${pw}y`] }, rolesPath: [], secrets: new SecretSet([pw]) });
    expect(i.extraVars).toEqual({ become_pass: '********', nested: ['x********y'] });
    expect(JSON.stringify(i)).not.toContain('XYZ');
    expect(i.secretExtraVars).toEqual(['become_pass', 'nested']);
  });
  it('records no secretExtraVars when no -e value was masked (the input hash of such plans is unchanged)', () => {
    const inventory: Inventory = { hosts: new Map(), groups: new Map(), order: [], sources: [] };
    const i = computeInputs({ inventory, inventoryPaths: [], playbooks: [], playbookFiles: [], tags: [], skipTags: [], extraVars: { a: 'plain' }, rolesPath: [], secrets: new SecretSet(['other-secret']) });
    expect(i).not.toHaveProperty('secretExtraVars');
  });
});

describe('reasons', () => {
  it('renderers word an entry from its kind, and never parse the words back', () => {
    expect(reasonText({ reason: 'ignored', why: { kind: 'when-false', expr: 'a and b' } })).toBe('when: a and b — false');
    // a failure whose message looks like a false `when` stays the message
    const message = 'Conditional result was False: not a when';
    expect(reasonText({ reason: message, why: { kind: 'failed', message } })).toBe(message);
    // a plan saved before `why`: the words as they are
    expect(reasonText({ reason: message })).toBe(message);
    expect(reasonText({})).toBe('');
  });
});
