import { describe, expect, it } from 'vitest';
import { FakeConnection, fakeCtx } from '../../../test/modules/fake.js';
import type { Step } from '../types.js';
import { etcdServiceModule } from './member-service.js';

const cmds = (steps: readonly Step[]) => steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind));
/** A node whose probe says: manifest in place / in the stash, and these etcd pids. */
const node = (o: { manifest?: boolean; stashed?: boolean; pids?: string }) =>
  new FakeConnection('n1').on('echo "pids:$(pids)"', {
    stdout: `${o.manifest ? 'manifest\n' : ''}${o.stashed ? 'stashed\n' : ''}pids:${o.pids ?? ''}\n`,
  });

describe('etcd_service for kubeadm static pods', () => {
  it('stops etcd by moving its manifest into the stash (an older stash kept), then waits for the process to go', async () => {
    const op = await etcdServiceModule.plan(fakeCtx({ state: 'stopped' as const }, node({ manifest: true, pids: '42 ' })));
    expect(op.changed).toBe(true);
    expect(op.result).toMatchObject({ runtime: 'static-pod', manifest: '/etc/kubernetes/manifests/etcd.yaml', stash: '/etc/kubernetes/manifests.lifeboat-stopped/etcd.yaml' });
    const [move, wait] = cmds(op.steps);
    expect(move).toContain('mv /etc/kubernetes/manifests.lifeboat-stopped/etcd.yaml /etc/kubernetes/manifests.lifeboat-stopped/etcd.yaml.older-');
    expect(move).toMatch(/mv \/etc\/kubernetes\/manifests\/etcd\.yaml \/etc\/kubernetes\/manifests\.lifeboat-stopped\/etcd\.yaml$/);
    const first = op.steps[0];
    expect(first?.kind === 'exec' ? first.destructive : undefined).toContain('stops etcd (static pod)');
    expect(wait).toContain('until [ -z "$(pids)" ]');
    expect(op.steps).toHaveLength(2);
  });
  it('is a no-op when stopped already (manifest in the stash, no process), and starts by moving it back', async () => {
    const stopped = await etcdServiceModule.plan(fakeCtx({ state: 'stopped' as const }, node({ stashed: true })));
    expect(stopped.changed).toBe(false);
    expect(stopped.steps).toEqual([]);
    const start = await etcdServiceModule.plan(fakeCtx({ state: 'started' as const }, node({ stashed: true })));
    const [back, wait] = cmds(start.steps);
    expect(back).toMatch(/\[ ! -e \/etc\/kubernetes\/manifests\/etcd\.yaml \]; mv \/etc\/kubernetes\/manifests\.lifeboat-stopped\/etcd\.yaml \/etc\/kubernetes\/manifests\/etcd\.yaml$/);
    expect(wait).toContain('until [ -n "$(pids)" ]');
    const running = await etcdServiceModule.plan(fakeCtx({ state: 'started' as const }, node({ manifest: true, pids: '7 ' })));
    expect(running.changed).toBe(false);
  });
  it('in a plan, follows what an earlier task does to the manifest', async () => {
    const conn = node({ manifest: true, pids: '42 ' });
    const stop = await etcdServiceModule.plan(fakeCtx({ state: 'stopped' as const }, conn, { check: true }));
    const start = await etcdServiceModule.plan(fakeCtx({ state: 'started' as const }, conn, { check: true, earlierSteps: stop.steps }));
    expect(start.notes).toEqual(['an earlier task of this plan moves out /etc/kubernetes/manifests/etcd.yaml']);
    expect(cmds(start.steps)[0]).toContain('mv /etc/kubernetes/manifests.lifeboat-stopped/etcd.yaml /etc/kubernetes/manifests/etcd.yaml');
  });
  it('refuses a running etcd that has no manifest when told it is a static pod', async () => {
    await expect(etcdServiceModule.plan(fakeCtx({ state: 'stopped' as const, runtime: 'static-pod' as const }, node({ pids: '9 ' })))).rejects.toThrow(
      'etcd_service: etcd runs (pid 9) but /etc/kubernetes/manifests/etcd.yaml does not exist',
    );
    const none = await etcdServiceModule.plan(fakeCtx({ state: 'stopped' as const, runtime: 'static-pod' as const }, node({})));
    expect(none.result).toMatchObject({ failed: true });
    expect(String(none.result?.msg)).toContain('set etcd_runtime: service');
  });
});
