import { describe, expect, it } from 'vitest';
import { clusterPlan } from './cluster.js';
import { renderRestore } from './restore-steps.js';
import { renderRollback } from './rollback.js';
import { offlineTool } from './version.js';

const plan = clusterPlan({ groups: { etcd: ['a', 'b', 'c'] }, hostvars: { a: { ansible_host: '10.0.0.1' }, b: { ansible_host: '10.0.0.2' }, c: { ansible_host: '10.0.0.3' } } }, 'a');
const member = plan.members[0]!;
const tool = offlineTool({ etcdctl: { path: 'etcdctl', version: '3.4.23' } })!;
const base = { plan, member, tool, snapshot: '/snap/s.db', sha256: 'b'.repeat(64), ts: '20261122T010000Z', owner: 'etcd', markerFile: '/var/lib/lifeboat/etcd-restore.json' };
const PHASE = ' && printf \'%s\\n\' PHASE > /var/lib/lifeboat/etcd-restore.phase';
const ph = (p: string) => PHASE.replace('PHASE >', `${p} >`);
const cmds = (r: ReturnType<typeof renderRestore>) => r.steps.map((s) => (s.kind === 'exec' ? s.cmd : `${s.kind}`));

describe('restore steps', () => {
  it('a plain data dir is renamed aside, restored into a fresh sibling and moved into place', () => {
    const r = renderRestore({ ...base, data: { path: '/var/lib/etcd', exists: true, mountpoint: false } });
    const c = cmds(r);
    expect(c[0]).toBe(`printf '%s  %s\\n' ${'b'.repeat(64)} /snap/s.db | sha256sum -c --status -`);
    expect(c[1]).toContain('/var/lib/lifeboat/etcd-restore.json');
    expect(c[2]).toBe(`mv -T /var/lib/etcd /var/lib/etcd.lifeboat-20261122T010000Z${ph('kept')}`);
    expect(c[3]).toContain('--data-dir=/var/lib/etcd.lifeboat-restore-20261122T010000Z');
    expect(c[3]).toContain(ph('restored'));
    expect(c[4]).toBe(`mv -T /var/lib/etcd.lifeboat-restore-20261122T010000Z /var/lib/etcd${ph('placed')}`);
    expect(c[5]).toContain('chown -R etcd: /var/lib/etcd');
    expect(r.kept).toEqual([{ dir: '/var/lib/etcd', kept_at: '/var/lib/etcd.lifeboat-20261122T010000Z', mode: 'moved' }]);
    expect(r.steps.filter((s) => 'destructive' in s && s.destructive).length).toBe(2);
  });

  it('a mount point keeps its contents inside itself (same filesystem) and restores into it', () => {
    const r = renderRestore({ ...base, data: { path: '/var/lib/etcd', exists: true, mountpoint: true } });
    const c = cmds(r);
    expect(c[2]).toBe(`mkdir -m 700 /var/lib/etcd/.lifeboat-20261122T010000Z && find /var/lib/etcd -mindepth 1 -maxdepth 1 '!' -name '.lifeboat-*' -exec mv -t /var/lib/etcd/.lifeboat-20261122T010000Z '{}' +${ph('kept')}`);
    expect(c[3]).toContain('--data-dir=/var/lib/etcd/.lifeboat-restore-20261122T010000Z');
    expect(c[4]).toBe(`mv -T /var/lib/etcd/.lifeboat-restore-20261122T010000Z/member /var/lib/etcd/member && rmdir /var/lib/etcd/.lifeboat-restore-20261122T010000Z${ph('placed')}`);
    expect(c[5]).toContain('chown -R etcd: /var/lib/etcd/member');
    expect(r.kept[0]?.mode).toBe('contents');
  });

  it('a separate wal dir is kept and restored too; a missing data dir keeps nothing', () => {
    const r = renderRestore({ ...base, data: { path: '/d', exists: false, mountpoint: false }, wal: { path: '/w', exists: true, mountpoint: false } });
    const c = cmds(r);
    expect(r.kept).toEqual([{ dir: '/w', kept_at: '/w.lifeboat-20261122T010000Z', mode: 'moved' }]);
    expect(c.find((x) => x.includes('snapshot restore'))).toContain('--wal-dir=/w.lifeboat-restore-20261122T010000Z');
    expect(c).toContain(`mv -T /d.lifeboat-restore-20261122T010000Z /d && mv -T /w.lifeboat-restore-20261122T010000Z /w${ph('placed')}`);
    // nothing to keep for the data dir: the marker says so and the phase starts at "kept" after the wal's keep
    expect(c[1]).toContain(ph('keeping'));
  });

  it('the marker is written before anything is moved, and no step deletes data', () => {
    const r = renderRestore({ ...base, data: { path: '/var/lib/etcd', exists: true, mountpoint: true } });
    const c = cmds(r);
    const markerAt = c.findIndex((x) => x.includes('etcd-restore.json'));
    const firstMove = r.steps.findIndex((s) => s.kind === 'exec' && s.destructive !== undefined);
    expect(markerAt).toBeGreaterThan(0);
    expect(markerAt).toBeLessThan(firstMove);
    for (const x of c) expect(x).not.toMatch(/\brm\b/);
  });

  it('a resumed restore never keeps twice: it goes on from the phase its node reached', () => {
    const kept = [{ dir: '/var/lib/etcd', kept_at: '/var/lib/etcd.lifeboat-20261122T010000Z', mode: 'moved' as const }];
    const data = { path: '/var/lib/etcd', exists: true, mountpoint: false };
    // cut short while keeping: the move is done only if it has not been (a rename is atomic), no new marker
    const k = cmds(renderRestore({ ...base, data, resume: { phase: 'keeping', kept } }));
    expect(k.some((x) => x.includes('etcd-restore.json'))).toBe(false);
    expect(k[1]).toBe(`if [ -e /var/lib/etcd ] && [ ! -e /var/lib/etcd.lifeboat-20261122T010000Z ]; then mv -T /var/lib/etcd /var/lib/etcd.lifeboat-20261122T010000Z; fi${ph('kept')}`);
    // cut short in the restore: the partial output is set aside (not deleted), then restored again
    const r = renderRestore({ ...base, data, resume: { phase: 'kept', kept } });
    const c = cmds(r);
    expect(c.some((x) => x.includes('mv -T /var/lib/etcd /var/lib/etcd.lifeboat-'))).toBe(false);
    expect(c[1]).toBe(`if [ -e /var/lib/etcd.lifeboat-restore-20261122T010000Z ]; then mv -T /var/lib/etcd.lifeboat-restore-20261122T010000Z /var/lib/etcd.lifeboat-restore-20261122T010000Z.partial-"$(date -u +%Y%m%dT%H%M%SZ)"; fi`);
    // the same text every time it is rendered: a saved plan of a resumed restore still applies
    expect(cmds(renderRestore({ ...base, data, resume: { phase: 'kept', kept } }))).toEqual(c);
    expect(c[2]).toContain('--data-dir=/var/lib/etcd.lifeboat-restore-20261122T010000Z');
    expect(r.kept).toEqual(kept);
    // restored but not placed: placed only if still there; placed: only the owner is given back
    expect(cmds(renderRestore({ ...base, data, resume: { phase: 'restored', kept } }))[1]).toBe(
      `{ if [ -e /var/lib/etcd.lifeboat-restore-20261122T010000Z ]; then mv -T /var/lib/etcd.lifeboat-restore-20261122T010000Z /var/lib/etcd; fi; }${ph('placed')}`,
    );
    const placed = cmds(renderRestore({ ...base, data, resume: { phase: 'placed', kept } }));
    expect(placed.length).toBe(2);
    expect(placed[1]).toContain('chown -R etcd: /var/lib/etcd');
    for (const x of [...k, ...c, ...placed]) expect(x).not.toMatch(/\brm\b/);
  });

  it('rollback sets the restored data aside and puts the kept data back (both layouts)', () => {
    const moved = renderRollback({ time: 'T', data_dir: '/var/lib/etcd', kept: [{ dir: '/var/lib/etcd', kept_at: '/var/lib/etcd.lifeboat-T', mode: 'moved' }] }, 'R');
    expect(moved.steps.map((s) => (s.kind === 'exec' ? s.cmd : ''))).toEqual([
      'if [ -e /var/lib/etcd ]; then mv -T /var/lib/etcd /var/lib/etcd.lifeboat-failed-R; fi',
      'mv -T /var/lib/etcd.lifeboat-T /var/lib/etcd',
    ]);
    const contents = renderRollback({ time: 'T', data_dir: '/m', kept: [{ dir: '/m', kept_at: '/m/.lifeboat-T', mode: 'contents' }] }, 'R');
    const c = contents.steps.map((s) => (s.kind === 'exec' ? s.cmd : ''));
    expect(c[0]).toContain('mkdir -m 700 /m/.lifeboat-failed-R');
    expect(c[1]).toBe("find /m/.lifeboat-T -mindepth 1 -maxdepth 1 -exec mv -t /m '{}' + && rmdir /m/.lifeboat-T");
    for (const x of [...c]) expect(x).not.toMatch(/\brm\b/);
  });
});
