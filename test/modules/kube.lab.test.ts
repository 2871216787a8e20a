import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/connection/index.js';
import type { Connection } from '../../src/connection/types.js';
import { BUILT, lifeboat } from '../cli/helpers.js';
import { describeLab } from '../lab/fixture.js';
import { scratchDir } from '../support/scratch.js';
import { labPool } from './lab-conn.js';
import { runModule } from './run.js';

/**
 * kube, helm and helm_repository over real SSH on a lab host, as far as they can go without a Kubernetes API
 * server or a helm binary (neither exists on this machine): the host's real kubectl (/usr/bin/kubectl, the
 * machine's, which every lab host shares) answering against an address where nothing listens, and the refusals
 * when kubectl, a manifest or helm is not on the host. What a real cluster would answer (diff, apply, delete,
 * helm list / get values) is proven by the unit tests only (src/modules/kube.test.ts, helm.test.ts).
 */
describeLab('kube / helm on a lab host without an API server', { hosts: 1, etcd: 1, masters: 0, tls: false }, (lab) => {
  let pool: ConnectionPool;
  let conn: Connection;
  const sh = async (cmd: string) => {
    const r = await lab().sh('node1', cmd);
    expect(r.rc, r.stderr).toBe(0);
    return r.stdout;
  };
  const K = '/usr/bin/kubectl';
  const NOBODY = 'https://127.0.0.1:1'; // nothing listens there: kubectl's own "connection refused"
  const manifest = '/etc/lb-kube/cm.yaml';
  const KC = '/etc/lb-kube/admin.conf'; // a kubeconfig with a token, as kubespray's admin.conf has credentials
  beforeAll(async () => {
    pool = labPool(lab());
    conn = await pool.get('node1');
    await sh(`mkdir -p /etc/lb-kube && printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: lb, namespace: default}\\ndata: {a: "1"}\\n' > ${manifest}`);
    await sh(
      `printf '%s\\n' 'apiVersion: v1' 'kind: Config' 'clusters: [{name: c, cluster: {server: "${NOBODY}", insecure-skip-tls-verify: true}}]' 'users: [{name: u, user: {token: lab-token}}]' 'contexts: [{name: x, context: {cluster: c, user: u}}]' 'current-context: x' > ${KC}`,
    );
  });
  afterAll(async () => {
    await pool?.closeAll();
  });

  it("the host's kubectl is real: kubectl version --client answers on the host", async () => {
    expect(await sh(`${K} version --client`)).toMatch(/^Client Version: v1\.\d+/m);
  });

  it('latest: kubectl diff cannot reach a server → plan unknown with the apply step; the run fails with kubectl\'s own error', async () => {
    const args = { name: 'lb', kubectl: K, kubeconfig: KC, filename: manifest, state: 'latest' };
    const apply = `${K} --kubeconfig=${KC} apply --force --filename=${manifest}`;
    const plan = await runModule('kube', args, conn, { check: true });
    expect(plan.op.changed).toBe('unknown');
    expect(plan.op.steps.map((s) => s.kind === 'exec' && s.cmd)).toEqual([apply]);
    expect(plan.op.notes?.[0]).toMatch(/^kubectl diff could not tell what apply changes \(.*(refused|connect)/);
    const run = await runModule('kube', args, conn);
    expect(run.result.failed).toBe(true);
    expect(String(run.result.msg)).toMatch(/refused|connect/);
    expect(run.result.changed).toBe(false);
    // server: without credentials — kubectl asks for a username on stdin; it gets none (no hang): `error: EOF`
    const bare = await runModule('kube', { kubectl: K, server: NOBODY, filename: manifest }, conn, { check: true });
    expect(bare.op.notes?.[0]).toMatch(/could not tell what apply changes \(error: EOF\)/);
  });

  it('absent and exists: kubectl get cannot reach a server → delete unknown in the plan; exists fails instead of saying False', async () => {
    const cm = { kubectl: K, kubeconfig: KC, resource: 'ConfigMap', name: 'lb', namespace: 'default' };
    const plan = await runModule('kube', { ...cm, state: 'absent' }, conn, { check: true });
    expect(plan.op.changed).toBe('unknown');
    expect(plan.op.steps[0]).toMatchObject({ cmd: `${K} --kubeconfig=${KC} --namespace=default delete ConfigMap lb`, destructive: 'deletes ConfigMap lb in default' });
    const e = await runModule('kube', { ...cm, state: 'exists' }, conn);
    expect(e.result).toMatchObject({ failed: true, msg: expect.stringMatching(/could not tell whether ConfigMap lb in default exists: .*(refused|connect)/) });
  });

  it('kubectl or the manifest not on the host: the plan says unknown with a note; the run refuses, saying what to do', async () => {
    const args = { kubectl: '/opt/lb-none/kubectl', filename: '/etc/lb-kube/none.yaml', state: 'latest' };
    const plan = await runModule('kube', args, conn, { check: true });
    expect(plan.op.changed).toBe('unknown');
    expect(plan.op.notes).toEqual([
      'kubectl (/opt/lb-none/kubectl) is not on the host yet; the run fails unless an earlier task provides it',
      '/etc/lb-kube/none.yaml does not exist on the host yet; the run fails unless an earlier task provides it',
    ]);
    const run = await runModule('kube', args, conn);
    expect(run.result).toMatchObject({ failed: true, msg: expect.stringMatching(/^kube: kubectl \(\/opt\/lb-none\/kubectl\) is not on the host; .* — install kubectl/) });
    expect(run.op.steps).toEqual([]);
  });

  it('helm and helm_repository with no helm on the host: plan unknown with the steps; the run refuses', async () => {
    expect((await lab().sh('node1', 'command -v helm')).rc).not.toBe(0);
    const rel = { name: 'kcsr', namespace: 'kube-system', chart_ref: 'kcsr/kubelet-csr-approver', chart_version: '1.1.0' };
    const plan = await runModule('kubernetes.core.helm', rel, conn, { check: true });
    expect(plan.op.changed).toBe('unknown');
    expect(plan.op.notes).toEqual(["helm is not on the host's PATH yet; the run fails unless an earlier task sees to it"]);
    expect(plan.op.steps[0]).toMatchObject({ cmd: 'helm upgrade --install kcsr kcsr/kubelet-csr-approver --namespace=kube-system --version=1.1.0 --reset-values' });
    const run = await runModule('helm', rel, conn);
    expect(run.result).toMatchObject({ failed: true, msg: expect.stringMatching(/helm is not on the host's PATH — install helm/) });
    const repo = await runModule('kubernetes.core.helm_repository', { name: 'kcsr', url: 'https://example.invalid/charts' }, conn);
    expect(repo.result).toMatchObject({ failed: true });
  });

  it.skipIf(!BUILT)('lifeboat plan and run of a kube task: unknown with the note in the plan, the run fails naming host and task', async () => {
    const dir = scratchDir('lb-kube-');
    const pb = join(dir, 'kube.yml');
    writeFileSync(pb, `- hosts: node1\n  tasks:\n    - name: Apply the manifest\n      kube:\n        kubectl: /opt/lb-none/kubectl\n        filename: ${manifest}\n        state: latest\n`);
    const inv = ['-i', lab().inventoryYaml];
    const plan = lifeboat(['plan', ...inv, pb]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/kubectl \(\/opt\/lb-none\/kubectl\) is not on the host yet/);
    expect(plan.stdout).toContain(`/opt/lb-none/kubectl apply --force --filename=${manifest}`);
    const run = lifeboat(['run', ...inv, pb]);
    expect(run.code).toBe(2);
    expect(`${run.stdout}${run.stderr}`).toMatch(/Apply the manifest[\s\S]*node1[\s\S]*kubectl \(\/opt\/lb-none\/kubectl\) is not on the host/);
  });
});
