/**
 * One restore at a time, and resumable: two `lifeboat run` processes started 1 s apart (the second is refused
 * naming the first; nothing harmed), and a Ctrl-C right after etcd stopped on every member, then the command the
 * interrupted run printed (the cluster verifies, the old data of every member is still kept). Real CLI processes
 * (dist/, built by `npm run build`), real sshd and etcd.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shellWords } from '../../src/modules/etcd/config-parse.js';
import { labSkipReason } from '../lab/fixture.js';
import { type Lab, startLab } from '../lab/index.js';
import { dataKeys } from './lab-keys.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/lifeboat.js');
const SKIP = labSkipReason() ?? (existsSync(path.join(ROOT, 'dist/cli/main.js')) ? undefined : 'dist/ not built: npm run build');
if (SKIP) console.warn(`[lab] skipping the lock/resume lab test: ${SKIP}`);

interface Proc {
  out: () => string;
  kill: (sig: NodeJS.Signals) => void;
  done: Promise<number>;
}

function lifeboat(args: string[]): Proc {
  const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number>((res) => p.on('close', (code) => res(code ?? -1)));
  return { out: () => out, kill: (s) => p.kill(s), done };
}

async function waitFor(p: Proc, text: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!p.out().includes(text)) {
    if (Date.now() - t0 > ms) throw new Error(`"${text}" never appeared:\n${p.out()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const VERIFIED = 'etcd verified: 3 members etcd-node1, etcd-node2, etcd-node3; one leader; one cluster ID';

async function sound(lab: Lab): Promise<void> {
  expect(await dataKeys(lab)).toEqual(lab.expectedSeed());
  for (const h of ['node1', 'node2', 'node3']) {
    const r = await lab.sh(h, 'service etcd status >/dev/null 2>&1 && echo up || echo down; cat /var/log/kube-apiserver.backwards 2>/dev/null; ls /var/lib/lifeboat/restore.lock 2>/dev/null || echo no-lock');
    expect(r.stdout, h).toBe('up\nno-lock\n');
  }
}

describe.skipIf(SKIP !== undefined)('one restore at a time, and resumable (lab, CLI processes)', () => {
  it('two restores 1 s apart: the second is refused naming the first; Ctrl-C after etcd stopped, then the printed command: verified, nothing lost', async () => {
    const lab = await startLab({ hosts: 3, seedKeys: 150 });
    const dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-lock-'));
    try {
      const inv = ['-i', lab.inventoryYaml, '-e', `etcd_backup_dir=${dir}`, '--output', 'plain'];
      expect(await lifeboat(['run', 'playbooks/etcd-backup.yml', ...inv]).done).toBe(0);
      const snap = (await readdir(dir)).find((f) => f.endsWith('.db'));
      expect(snap).toBeDefined();

      // 1. two restores 1 s apart, both in their preflight: one takes the lock, the other is refused there
      const first = lifeboat(['run', 'playbooks/etcd-restore.yml', ...inv]);
      await new Promise((r) => setTimeout(r, 1000));
      const second = lifeboat(['run', 'playbooks/etcd-restore.yml', ...inv]);
      const [rc1, rc2] = await Promise.all([first.done, second.done]);
      // on a loaded machine the second may only reach the lock after the first released it: then both ran, and
      // the refusal is proven below with the first paused while it holds the lock
      const overlapped = rc2 !== 0;
      expect(rc1, first.out()).toBe(0);
      expect(first.out()).toContain(VERIFIED);
      // what the restore loses, against the live cluster (the apiserver stand-ins wrote since the backup)
      expect(first.out()).toMatch(/what this restore loses: the snapshot was taken \S+ \(\d+ min ago\) at revision \d+; the live cluster is at revision \d+: this restore rewinds \d+ revisions/);
      const LOCKED = /another etcd restore holds the lock \/var\/lib\/lifeboat\/restore\.lock: restore run \d{8}T\d{6}Z by \S+ on \S+ \(pid \d+\)/;
      if (overlapped) {
        expect(rc2, second.out()).toBe(2);
        expect(/Take the restore lock[\s\S]*?changed\s+node1/.test(first.out())).toBe(true);
        expect(second.out()).toMatch(LOCKED);
        expect(second.out()).not.toContain('Stop the control plane services, apiserver first]');
      } else expect(second.out()).toContain(VERIFIED);
      await sound(lab);
      const kept = async (n: number) => {
        for (const h of ['node1', 'node2', 'node3']) expect((await lab.sh(h, 'ls -a /var/lib/etcd | grep -c "^\\.lifeboat-"')).stdout).toBe(`${n}\n`);
      };
      // a refused run moved nothing: one kept dir per member per restore that ran
      await kept(overlapped ? 1 : 2);

      // 1b. a restore started while another holds the lock (paused right after taking it, so the timing is
      // certain) is refused in its preflight, naming the holder, before any slow check; the holder then finishes
      const holder = lifeboat(['run', 'playbooks/etcd-restore.yml', ...inv]);
      await waitFor(holder, "TASK [Put etcd's tools from etcd_tools_dir on every member");
      holder.kill('SIGSTOP');
      const late = lifeboat(['run', 'playbooks/etcd-restore.yml', ...inv]);
      const rcLate = await late.done;
      holder.kill('SIGCONT');
      expect(rcLate, late.out()).toBe(2);
      expect(late.out()).toMatch(LOCKED);
      expect(late.out()).toContain('Refuse while another restore holds the lock');
      expect(late.out()).not.toContain('TASK [etcd_restore : Discover etcd on every member]');
      expect(await holder.done, holder.out()).toBe(0);
      expect(holder.out()).toContain(VERIFIED);
      await sound(lab);
      await kept(overlapped ? 2 : 3);

      // 2. Ctrl-C right after etcd stopped on every member
      await lab.disaster({ fraction: 1 });
      const cut = lifeboat(['run', 'playbooks/etcd-restore.yml', ...inv, '-e', `snapshot=${path.join(dir, snap as string)}`]);
      await waitFor(cut, 'TASK [etcd_restore : Go on only if etcd stopped on every member]');
      cut.kill('SIGINT');
      expect(await cut.done, cut.out()).toBe(130);
      for (const h of ['node1', 'node2', 'node3']) expect((await lab.sh(h, 'service etcd status >/dev/null 2>&1 && echo up || echo down; cat /var/lib/lifeboat/restore.lock')).stdout).toMatch(/^down\n\{"run":"\d{8}T\d{6}Z"/);
      const printed = /run:\n\s+lifeboat (.+)$/m.exec(cut.out())?.[1];
      expect(printed, cut.out()).toMatch(/-e etcd_resume=\d{8}T\d{6}Z -e snapshot=\S+\.db -e fresh_snapshot=false$/);
      const runId = /etcd_resume=(\w+)/.exec(printed as string)?.[1];
      // a backup meanwhile is refused, naming the interrupted restore (its snapshot could catch members mid-restore)
      const backup = lifeboat(['run', 'playbooks/etcd-backup.yml', ...inv]);
      expect(await backup.done, backup.out()).not.toBe(0);
      expect(backup.out()).toContain(`an etcd restore holds the lock /var/lib/lifeboat/restore.lock: restore run ${runId} by`);
      const again = lifeboat(shellWords(printed as string));
      expect(await again.done, again.out()).toBe(0);
      expect(again.out()).toContain(VERIFIED);
      await sound(lab);
      // nothing lost: the data each member had before the interrupted run is still kept under that run's id
      for (const h of ['node1', 'node2', 'node3']) {
        expect((await lab.sh(h, `ls /var/lib/etcd/.lifeboat-${runId}`)).stdout).toContain('member');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      await lab.stop();
    }
  }, 240_000);
});
