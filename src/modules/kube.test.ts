import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../test/modules/fake.js';
import { runYaml } from '../../test/executor/helpers.js';
import { planModule, runModule } from '../../test/modules/run.js';
import { applyArgv, applyChanged, deleteArgv, deleteChanged, diffObjects, getArgv, kubeFiles } from './kube-cmd.js';

const K = '/usr/local/bin/kubectl';
const cmds = (c: FakeConnection) => c.execs;
const exec = (op: { steps: Array<{ kind: string; cmd?: string }> }) => op.steps.map((s) => s.cmd);

describe('kube: command lines (kubespray library/kube.py)', () => {
  it('filename is a list, a comma-separated string, or an alias; each stripped', () => {
    expect(kubeFiles({ filename: 'a.yml, b.yml' })).toEqual(['a.yml', 'b.yml']);
    expect(kubeFiles({ files: ['/x.yml ', 'y'] })).toEqual(['/x.yml', 'y']);
    expect(kubeFiles({ file: '/z.yml' })).toEqual(['/z.yml']);
    expect(kubeFiles({})).toEqual([]);
  });
  it('apply, delete and get carry --server, --kubeconfig, --v, --namespace', () => {
    const a = { kubectl: K, server: 'https://10.0.0.1:6443', kubeconfig: '/etc/k/admin.conf', log_level: 2, namespace: 'kube-system' };
    const base = [K, '--server=https://10.0.0.1:6443', '--kubeconfig=/etc/k/admin.conf', '--v=2', '--namespace=kube-system'];
    expect(applyArgv({ ...a, wait: true, recursive: true }, ['/d'])).toEqual([...base, 'apply', '--force', '--wait', '--recursive=true', '--filename=/d']);
    expect(applyArgv({}, ['a', 'b'])).toEqual(['kubectl', 'apply', '--force', '--filename=a,b']);
    expect(deleteArgv(a, ['/m.yml'])).toEqual([...base, 'delete', '--filename=/m.yml', '--ignore-not-found']);
    expect(deleteArgv({ resource: 'ConfigMap', name: 'config', force: true }, [])).toEqual(['kubectl', 'delete', 'ConfigMap', 'config', '--ignore-not-found']);
    expect(deleteArgv({ resource: 'pods', label: 'app=x', all: true }, [])).toEqual(['kubectl', 'delete', 'pods', '--selector=app=x', '--all']);
    expect(getArgv({ resource: 'namespace', name: 'snap', all: true }, [])).toEqual(['kubectl', 'get', '--request-timeout=30s', 'namespace', 'snap', '--all-namespaces', '--no-headers']);
    expect(getArgv({ recursive: true }, ['/d'])).toEqual(['kubectl', 'get', '--request-timeout=30s', '--filename=/d', '--recursive=true', '--no-headers']);
  });
  it("reads kubectl's output: apply changed unless every object is unchanged; delete changed when one was deleted", () => {
    expect(applyChanged('namespace/metallb-system unchanged\nserviceaccount/controller unchanged\n')).toBe(false);
    expect(applyChanged('namespace/metallb-system unchanged\ndeployment.apps/controller configured\n')).toBe(true);
    expect(applyChanged('configmap/x created\n')).toBe(true);
    expect(applyChanged('')).toBe(false);
    expect(deleteChanged('configmap "config" deleted\n')).toBe(true);
    expect(deleteChanged('')).toBe(false);
    const diff = 'diff -u -N /tmp/LIVE-1/apps.v1.Deployment.kube-system.coredns /tmp/MERGED-2/apps.v1.Deployment.kube-system.coredns\n--- /tmp/LIVE-1/apps.v1.Deployment.kube-system.coredns\t2024-01-01\n+++ /tmp/MERGED-2/apps.v1.Deployment.kube-system.coredns\t2024-01-01\n@@ -1 +1 @@\n-a\n+b\n';
    expect(diffObjects(diff)).toEqual(['apps.v1.Deployment.kube-system.coredns']);
  });
});

describe('kube: plan and changed', () => {
  const latest = { name: 'MetalLB', kubectl: K, filename: '/etc/kubernetes/metallb.yaml', state: 'latest', wait: true };
  const apply = `${K} apply --force --wait --filename=/etc/kubernetes/metallb.yaml`;

  it('latest/present/reloaded: kubectl diff finds nothing → no step; finds a change → apply, changed from its output', async () => {
    for (const state of ['latest', 'present', 'reloaded']) {
      const same = new FakeConnection().on(' diff ', { rc: 0 });
      const op = await planModule('kube', { ...latest, state }, same);
      expect(op.steps).toEqual([]);
      expect(op.changed).toBe(false);
      expect(cmds(same)[1]).toBe(`${K} diff --request-timeout=30s --filename=/etc/kubernetes/metallb.yaml`);
    }
    const c = new FakeConnection()
      .on(' diff ', { rc: 1, stdout: '+++ /tmp/MERGED-9/v1.ConfigMap.metallb-system.config\t2024\n' })
      .on(' apply ', { stdout: 'namespace/metallb-system unchanged\nconfigmap/config configured\n' });
    const r = await runModule('kube', latest, c);
    expect(exec(r.op)).toEqual([apply]);
    expect(r.op.changed).toBe(true);
    expect(r.op.notes).toEqual(['kubectl diff: changes v1.ConfigMap.metallb-system.config']);
    expect(r.result).toMatchObject({ changed: true, msg: 'success: namespace/metallb-system unchanged configmap/config configured' });
    const u = new FakeConnection().on(' diff ', { rc: 1 }).on(' apply ', { stdout: 'configmap/config unchanged\n' });
    expect((await runModule('kube', latest, u)).result.changed).toBe(false);
  });

  it('kubectl diff failing (no API server, unknown kind): unknown, apply runs; its error fails the task', async () => {
    const c = new FakeConnection()
      .on(' diff ', { rc: 2, stderr: 'error: the server could not find the requested resource\n' })
      .on(' apply ', { rc: 1, stderr: 'The connection to the server localhost:8080 was refused\n' });
    const r = await runModule('kube', latest, c);
    expect(r.op.changed).toBe('unknown');
    expect(r.op.notes?.[0]).toMatch(/kubectl diff could not tell .*requested resource/);
    expect(r.result).toMatchObject({ failed: true });
    expect(String(r.result.msg)).toMatch(/localhost:8080 was refused/);
    expect(r.result.changed).toBe(false); // it applied nothing
  });

  it('kubectl or a manifest not on the host: the plan shows the step, unknown, with a note; the run fails saying what to do', async () => {
    const c = new FakeConnection().on('[ -x', { stdout: '--lifeboat-kube--kubectl\n--lifeboat-kube--file /etc/kubernetes/metallb.yaml\n' });
    const p = await planModule('kube', latest, c, { check: true });
    expect(p.changed).toBe('unknown');
    expect(exec(p)).toEqual([apply]);
    expect(p.notes).toEqual([
      `kubectl (${K}) is not on the host yet; the run fails unless an earlier task provides it`,
      '/etc/kubernetes/metallb.yaml does not exist on the host yet; the run fails unless an earlier task provides it',
    ]);
    expect(cmds(c).some((x) => x.includes(' diff '))).toBe(false);
    const r = await runModule('kube', latest, c);
    expect(r.result).toMatchObject({ failed: true });
    expect(String(r.result.msg)).toMatch(/kubectl \(\/usr\/local\/bin\/kubectl\) is not on the host; .* install kubectl/);
    const bare = new FakeConnection();
    await planModule('kube', { filename: 'https://x/y.yaml' }, bare);
    expect(cmds(bare)[0]).toBe("command -v kubectl >/dev/null || echo --lifeboat-kube--kubectl");
  });

  it('in a plan, a manifest an earlier task writes makes apply unknown (the diff would read the old file)', async () => {
    const c = new FakeConnection().on(' diff ', { rc: 0 });
    const op = await planModule('kube', latest, c, { check: true, earlierSteps: [{ kind: 'put', dest: '/etc/kubernetes/metallb.yaml', content: 'x' }] });
    expect(op.changed).toBe('unknown');
    expect(exec(op)).toEqual([apply]);
    expect(cmds(c).some((x) => x.includes(' diff '))).toBe(false);
  });

  it('absent: deletes only what kubectl get finds; force deletes without asking, --ignore-not-found', async () => {
    const cm = { name: 'config', kubectl: K, resource: 'ConfigMap', namespace: 'metallb-system', state: 'absent' };
    const del = `${K} --namespace=metallb-system delete ConfigMap config`;
    const none = new FakeConnection().on(' get ', { rc: 1, stderr: 'Error from server (NotFound): configmaps "config" not found\n' });
    expect((await planModule('kube', cm, none)).steps).toEqual([]);
    expect(cmds(none)[1]).toBe(`${K} --namespace=metallb-system get --request-timeout=30s ConfigMap config --no-headers`);
    const there = new FakeConnection().on(' get ', { stdout: 'config   1      3d\n' }).on(' delete ', { stdout: 'configmap "config" deleted\n' });
    const r = await runModule('kube', cm, there);
    expect(exec(r.op)).toEqual([del]);
    expect(r.op.steps[0]).toMatchObject({ destructive: 'deletes ConfigMap config in metallb-system' });
    expect(r.result).toMatchObject({ changed: true });
    const forced = new FakeConnection().on(' delete ', { stdout: '' });
    const f = await runModule('kube', { ...cm, force: true }, forced);
    expect(exec(f.op)).toEqual([`${del} --ignore-not-found`]);
    expect(cmds(forced).some((x) => x.includes(' get '))).toBe(false);
    expect(f.result.changed).toBe(false);
    const down = new FakeConnection().on(' get ', { rc: 1, stderr: 'The connection to the server 10.0.0.1:6443 was refused\n' });
    const u = await planModule('kube', cm, down);
    expect(u.changed).toBe('unknown');
    expect(u.notes?.[0]).toMatch(/could not tell whether ConfigMap config in metallb-system exists \(The connection/);
  });

  it('exists: msg True/False as kube.py; an error kubectl cannot answer fails instead of saying False', async () => {
    const ns = { kubectl: K, name: 'kube-system', resource: 'namespace', state: 'exists' };
    const yes = await runModule('kube', ns, new FakeConnection().on(' get ', { stdout: 'kube-system   Active   1d\n' }));
    expect(yes.result).toMatchObject({ changed: false, msg: 'True', exists: true });
    expect(yes.op.steps).toEqual([]);
    const no = await runModule('kube', ns, new FakeConnection().on(' get ', { rc: 1, stderr: 'Error from server (NotFound): namespaces "x" not found' }));
    expect(no.result).toMatchObject({ changed: false, msg: 'False', exists: false });
    const err = await runModule('kube', ns, new FakeConnection().on(' get ', { rc: 1, stderr: 'dial tcp: connection refused' }));
    expect(err.result).toMatchObject({ failed: true });
    expect(String(err.result.msg)).toMatch(/could not tell whether namespace kube-system exists: dial tcp/);
  });

  it('refuses what cannot work, naming the module and host: stopped (no kubectl stop), no filename to apply, nothing to delete', async () => {
    const c = new FakeConnection();
    await expect(planModule('kube', { resource: 'rc', name: 'x', state: 'stopped' }, c)).rejects.toMatchObject({ code: 'E_MODULE', message: expect.stringMatching(/kubectl stop/) });
    await expect(planModule('kube', { resource: 'rc', state: 'latest' }, c)).rejects.toMatchObject({ code: 'E_MODULE', message: expect.stringMatching(/needs filename/) });
    await expect(planModule('kube', { name: 'x', state: 'absent' }, c)).rejects.toMatchObject({ code: 'E_MODULE', host: 'fake1' });
  });
});

describe('kube through the executor', () => {
  it("an argument error names the task's file:line:col, the host and the task, with what to do", async () => {
    const { ev, summary } = await runYaml('- hosts: all\n  gather_facts: false\n  tasks:\n    - name: Stop it\n      kube: { resource: rc, name: x, state: stopped }\n', { inventory: 'h1\n' });
    expect(summary.exitCode).toBe(2);
    expect(ev.of('host_result')[0]?.msg).toMatch(/site\.yml:4:7: kube: state stopped runs `kubectl stop`.* \(host h1, task "Stop it"\)\n {2}hint: use state: absent/);
  });
});
