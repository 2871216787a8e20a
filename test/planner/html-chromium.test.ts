import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/executor/events.js';
import { buildPlan } from '../../src/planner/build.js';
import { renderPlanHtml } from '../../src/planner/render-html.js';

const run = promisify(execFile);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('skipping the headless Chromium render test: Debian package `chromium` is not installed (scripts/setup.sh installs it)');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!CHROMIUM)('plan picture in a real headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the SVG timeline: one cell per task and host, destructive cells outlined', async () => {
    const ts = new Date().toISOString();
    const hosts = ['node1', 'node2', 'node3'];
    const ev: RunEvent[] = [
      { type: 'play_start', ts, play: 'Restore etcd', playIndex: 0, hosts },
      { type: 'batch_start', ts, play: 'Restore etcd', batchIndex: 0, hosts: ['node1', 'node2'] },
      { type: 'batch_start', ts, play: 'Restore etcd', batchIndex: 1, hosts: ['node3'] },
    ];
    ['preflight', 'stop apiserver', 'restore'].forEach((task, i) => {
      ev.push({ type: 'task_start', ts, play: 'Restore etcd', task, taskId: `t${i}`, hosts });
      for (const host of hosts)
        ev.push({ type: 'host_plan', ts, play: 'Restore etcd', taskId: `t${i}`, task, host, batchIndex: 0, status: i === 0 ? 'ok' : 'change', steps: [{ kind: 'exec', text: `echo ${task}`, ...(i === 2 ? { destructive: 'restores data' } : {}) }], destructive: i === 2 ? ['restores data'] : [] });
    });
    const plan = buildPlan(ev, { inputs: { playbooks: ['etcd-restore.yml'], inventory: [], tags: [], skipTags: [], extraVars: {}, rolesPath: [], files: {}, hash: 'x' }, lifeboat: 'test', offline: false });
    const html = join(dir, 'plan.html');
    writeFileSync(html, renderPlanHtml(plan));
    const profile = join(dir, 'profile');
    const dom = await run(CHROMIUM as string, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', `file://${html}`], { timeout: 60_000 });
    // Chromium parsed the SVG: 9 coloured task cells, 3 of them outlined as destructive.
    expect((dom.stdout.match(/<rect [^>]*rx="3"/g) ?? []).length).toBe(9);
    expect((dom.stdout.match(/stroke="#cf222e"/g) ?? []).length).toBe(3);
    // a timeline: each serial batch's tasks in a band of their own, in run order
    const b1 = dom.stdout.indexOf('batch 1 of 2: node1, node2');
    const b2 = dom.stdout.indexOf('batch 2 of 2: node3');
    expect(b1).toBeGreaterThan(0);
    expect(b2).toBeGreaterThan(b1);
    // the destructive task is listed above the picture, with its hosts and what it destroys
    expect(dom.stdout).toContain('<li><b>3. restore</b> on node1, node2, node3: restores data</li>');
    const png = join(dir, 'plan.png');
    await run(CHROMIUM as string, [...FLAGS, `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=900,600', `file://${html}`], { timeout: 60_000 });
    const buf = readFileSync(png);
    expect(buf.subarray(1, 4).toString()).toBe('PNG');
    expect(buf.readUInt32BE(16)).toBe(900); // width from the IHDR chunk
    expect(buf.length).toBeGreaterThan(5_000); // a blank page compresses far below this
  });
});
