import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../test/modules/fake.js';
import { FakePool, runYaml } from '../../test/executor/helpers.js';
import { planModule, runModule } from '../../test/modules/run.js';
import { helmGlobal, listArgv, mergeValues, showChartArgv, uninstallArgv, upgradeArgv, valuesDiffer } from './helm-cmd.js';

const H = '/usr/local/bin/helm';
const rel = { binary_path: H, name: 'kubelet-csr-approver', namespace: 'kube-system', chart_ref: 'kcsr/kubelet-csr-approver', chart_version: '1.1.0' };
const listed = (o: Record<string, unknown> = {}) =>
  JSON.stringify([{ name: 'kubelet-csr-approver', namespace: 'kube-system', revision: '2', status: 'deployed', chart: 'kubelet-csr-approver-1.1.0', app_version: 'v1.1.0', ...o }]);
const chart = 'apiVersion: v2\nappVersion: v1.1.0\nname: kubelet-csr-approver\nversion: 1.1.0\n';
/** A host where the release is as given: helm list, show chart and get values answer. */
function host(o: { list?: string; show?: string; values?: string } = {}, first: FakeConnection = new FakeConnection()): FakeConnection {
  return first
    .on(' list ', { stdout: o.list ?? listed() })
    .on(' show chart ', { stdout: o.show ?? chart })
    .on(' get values ', { stdout: o.values ?? 'null' });
}
const cmds = (op: { steps: Array<{ kind: string; cmd?: string }> }) => op.steps.map((s) => s.cmd);

describe('helm: command lines', () => {
  it('install/upgrade as kubernetes.core: upgrade --install --reset-values, options, values files then the values on stdin', () => {
    const a = { ...rel, wait: true, wait_timeout: '5m', atomic: true, create_namespace: true, values_files: ['/etc/v.yml'], skip_crds: true, history_max: 5, disable_hook: true, force: true };
    expect(upgradeArgv(a, { installed: true, stdinValues: true })).toEqual([
      H, 'upgrade', '--install', 'kubelet-csr-approver', 'kcsr/kubelet-csr-approver', '--namespace=kube-system', '--version=1.1.0', '--reset-values', '--wait', '--timeout=5m',
      '--atomic', '--force', '--no-hooks', '--create-namespace', '--values=/etc/v.yml', '--values=-', '--skip-crds', '--history-max=5',
    ]);
    // --force only on an upgrade; wait_timeout only with wait; timeout always; replace: helm install --replace
    expect(upgradeArgv({ ...rel, force: true, wait_timeout: '1m', chart_repo_url: 'https://c.example' }, { installed: false, stdinValues: false })).toEqual([
      H, 'upgrade', '--install', 'kubelet-csr-approver', 'kcsr/kubelet-csr-approver', '--namespace=kube-system', '--version=1.1.0', '--repo=https://c.example', '--reset-values',
    ]);
    expect(upgradeArgv({ name: 'r', namespace: 'n', chart_ref: './c', replace: true, timeout: '2m' }, { installed: false, stdinValues: false })).toEqual(['helm', 'install', 'r', './c', '--namespace=n', '--timeout=2m', '--replace']);
    expect(uninstallArgv({ ...rel, purge: false, wait: true, timeout: '3m' })).toEqual([H, 'uninstall', 'kubelet-csr-approver', '--namespace=kube-system', '--keep-history', '--wait', '--timeout=3m']);
    expect(listArgv({ name: 'a.b', namespace: 'n' })).toEqual(['helm', 'list', '--namespace=n', '--all', '--filter=^a\\.b$', '--output=json']);
    expect(showChartArgv({ ...rel, chart_version: '' })).toEqual([H, 'show', 'chart', 'kcsr/kubelet-csr-approver']);
    expect(helmGlobal({ kube_context: 'c1', kubeconfig: '/k', host: 'https://api:6443', ca_cert: '/ca', validate_certs: false })).toEqual([
      'helm', '--kube-context=c1', '--kubeconfig=/k', '--kube-apiserver=https://api:6443', '--kube-ca-file=/ca', '--kube-insecure-skip-tls-verify',
    ]);
  });
  it("merges values as helm does (maps key by key, the rest replaced) and names the keys that differ, order aside", () => {
    expect(mergeValues({ a: { b: 1, c: 2 }, l: [1] }, { a: { c: 3 }, l: [2] })).toEqual({ a: { b: 1, c: 3 }, l: [2] });
    expect(valuesDiffer({ a: { b: 1 }, l: [{ x: 1, y: 2 }] }, { l: [{ y: 2, x: 1 }], a: { b: 1 } })).toEqual([]);
    expect(valuesDiffer({ a: { b: 1 }, z: 1 }, { a: { b: 2 } })).toEqual(['a.b', 'z']);
  });
});

describe('helm: changed or not, from helm list, show chart and get values', () => {
  it('not installed: install, the values on stdin (never on the command line)', async () => {
    const c = host({ list: '[]' });
    const op = await planModule('kubernetes.core.helm', { ...rel, values: { token: 's3cret' } }, c);
    expect(op.changed).toBe(true);
    expect(cmds(op)).toEqual([`${H} upgrade --install kubelet-csr-approver kcsr/kubelet-csr-approver --namespace=kube-system --version=1.1.0 --reset-values --values=-`]);
    expect(op.steps[0]).toMatchObject({ stdin: '{"token":"s3cret"}' });
    expect(op.notes).toEqual(['helm release kube-system/kubelet-csr-approver is not installed']);
    expect(c.execs).toContain(`${H} list --namespace=kube-system --all '--filter=^kubelet-csr-approver$' --output=json`);
  });

  it('deployed, same chart name-version and app version, same values: no step; the status is the result', async () => {
    const r = await runModule('helm', { ...rel, values: { a: 1 } }, host({ values: '{"a":1}' }));
    expect(r.op.steps).toEqual([]);
    expect(r.result).toMatchObject({ changed: false, status: { chart: 'kubelet-csr-approver-1.1.0', values: { a: 1 } } });
    // no values in the task and none stored (`null`)
    expect((await planModule('helm', rel, host())).steps).toEqual([]);
  });

  it('a different chart version, app version, status, values, or force: upgrade, saying why', async () => {
    const why = async (args: Record<string, unknown>, h: FakeConnection) => {
      const op = await planModule('helm', args, h);
      expect(op.changed).toBe(true);
      expect(cmds(op)[0]).toMatch(/ upgrade --install /);
      return op.notes;
    };
    expect(await why(rel, host({ list: listed({ chart: 'kubelet-csr-approver-1.0.0' }) }))).toEqual(['chart kubelet-csr-approver-1.0.0 → kubelet-csr-approver-1.1.0']);
    expect(await why(rel, host({ list: listed({ app_version: 'v1.0.9' }) }))).toEqual(['app version v1.0.9 → v1.1.0']);
    expect(await why(rel, host({ list: listed({ status: 'failed' }) }))).toEqual(['release status is failed, not deployed']);
    expect(await why({ ...rel, values: { a: { b: 2 } } }, host({ values: '{"a":{"b":1}}' }))).toEqual(['values differ at a.b']);
    expect(await why({ ...rel, force: true }, host())).toEqual(['force']);
  });

  it('values_files are read on the host and merged before values, as helm merges -f files', async () => {
    const c = host({ values: '{"image":{"repo":"r","tag":"2"},"enabled":true}' }).on('cat -- /etc/a.yml', { stdout: 'image:\n  repo: r\n  tag: "1"\nenabled: yes\n' });
    const op = await planModule('helm', { ...rel, values_files: ['/etc/a.yml'], values: { image: { tag: '2' } } }, c);
    expect(op.steps).toEqual([]);
    const gone = await planModule('helm', { ...rel, values_files: ['/etc/none.yml'] }, host({}, new FakeConnection().on('cat -- /etc/none.yml', { rc: 1, stderr: 'cat: /etc/none.yml: No such file or directory' })), { check: true });
    expect(gone.changed).toBe('unknown');
    expect(gone.notes?.[0]).toMatch(/values file \/etc\/none.yml cannot be read/);
  });

  it('the chart or the values cannot be read now: unknown, the upgrade runs', async () => {
    const op = await planModule('helm', rel, host({}, new FakeConnection().on(' show chart ', { rc: 1, stderr: 'Error: repo kcsr not found' })));
    expect(op.changed).toBe('unknown');
    expect(op.notes).toEqual(['helm show chart kcsr/kubelet-csr-approver failed (Error: repo kcsr not found)']);
  });

  it('absent: uninstall only a release that is there', async () => {
    const there = await runModule('helm', { ...rel, state: 'absent' }, host().on(' uninstall ', { stdout: 'release "kubelet-csr-approver" uninstalled' }));
    expect(cmds(there.op)).toEqual([`${H} uninstall kubelet-csr-approver --namespace=kube-system`]);
    expect(there.op.steps[0]).toMatchObject({ destructive: 'uninstalls helm release kube-system/kubelet-csr-approver' });
    expect(there.result.changed).toBe(true);
    expect((await planModule('helm', { ...rel, state: 'absent' }, host({ list: '[]' }))).steps).toEqual([]);
  });

  it("kubespray's repo refresh (state absent, a dummy release, update_repo_cache): helm repo update runs, not a change", async () => {
    const args = { state: 'absent', binary_path: H, release_name: 'dummy', release_namespace: 'kube-system', update_repo_cache: true };
    const r = await runModule('kubernetes.core.helm', args, host({ list: '[]' }));
    expect(cmds(r.op)).toEqual([`${H} repo update`]);
    expect(r.op.changed).toBe(false);
    expect(r.result).toMatchObject({ changed: false, command: `${H} repo update` });
    // with no chart_version the newest chart is known only after the update: unknown, the upgrade runs
    const up = await planModule('helm', { ...rel, chart_version: undefined, update_repo_cache: true }, host());
    expect(up.changed).toBe('unknown');
    expect(cmds(up)).toEqual([`${H} repo update`, `${H} upgrade --install kubelet-csr-approver kcsr/kubelet-csr-approver --namespace=kube-system --reset-values`]);
  });

  it('helm missing, or the cluster unreachable: the plan says unknown with the steps; the run fails saying what to do', async () => {
    const none = new FakeConnection().on('[ -x /usr/local/bin/helm ]', { rc: 1 });
    const p = await planModule('helm', rel, none, { check: true });
    expect(p.changed).toBe('unknown');
    expect(p.notes).toEqual(['helm (/usr/local/bin/helm) is not on the host yet; the run fails unless an earlier task sees to it']);
    const r = await runModule('helm', rel, none);
    expect(r.result).toMatchObject({ failed: true, msg: expect.stringMatching(/helm \(\/usr\/local\/bin\/helm\) is not on the host — install helm/) });
    const down = new FakeConnection().on(' list ', { rc: 1, stderr: 'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": connection refused' });
    const d = await runModule('helm', rel, down);
    expect(d.result).toMatchObject({ failed: true, msg: expect.stringMatching(/helm list cannot read the releases of kube-system \(Error: Kubernetes cluster unreachable.*check that the cluster is reachable/) });
  });

  it('api_key goes in the environment (HELM_KUBETOKEN) and is a secret; impossible arguments are refused', async () => {
    const c = host({ list: '[]' });
    const op = await planModule('helm', { ...rel, api_key: 'tok-123' }, c);
    expect(op.steps[0]).toMatchObject({ env: { HELM_KUBETOKEN: 'tok-123' }, secrets: ['tok-123'] });
    expect(c.calls.find((x) => x.cmd?.includes(' list '))?.opts).toMatchObject({ env: { HELM_KUBETOKEN: 'tok-123' } });
    expect(c.execs.join('\n')).not.toContain('tok-123');
    await expect(planModule('helm', { name: 'r', namespace: 'n' }, c)).rejects.toMatchObject({ code: 'E_MODULE', message: expect.stringMatching(/needs chart_ref/) });
    await expect(planModule('helm', { ...rel, wait_timeout: '1m', timeout: '1m' }, c)).rejects.toMatchObject({ code: 'E_MODULE' });
    await expect(planModule('helm', { ...rel, reuse_values: true }, c)).rejects.toMatchObject({ message: expect.stringMatching(/reuse_values are not supported/) });
  });
});

describe('helm_repository', () => {
  const repo = { binary_path: H, name: 'kcsr', url: 'https://postfinance.github.io/kubelet-csr-approver', force_update: true };
  const list = (url: string) => new FakeConnection().on(' repo list ', { stdout: JSON.stringify([{ name: 'kcsr', url }]) });

  it('missing (helm says "no repositories to show"): helm repo add; the same URL: no change, also with force_update', async () => {
    const none = new FakeConnection().on(' repo list ', { rc: 1, stderr: 'Error: no repositories to show' });
    const op = await planModule('kubernetes.core.helm_repository', { ...repo, force_update: false }, none);
    expect(cmds(op)).toEqual([`${H} repo add kcsr https://postfinance.github.io/kubelet-csr-approver`]);
    expect(op.changed).toBe(true);
    expect((await planModule('helm_repository', repo, list('https://postfinance.github.io/kubelet-csr-approver/'))).steps).toEqual([]);
  });

  it('another URL: refused without force_update, replaced with it', async () => {
    const r = await runModule('helm_repository', { ...repo, force_update: false }, list('https://old.example'));
    expect(r.result).toMatchObject({ failed: true, msg: expect.stringMatching(/already have a repository named kcsr \(at https:\/\/old.example.*force_update/) });
    const op = await planModule('helm_repository', repo, list('https://old.example'));
    expect(cmds(op)).toEqual([`${H} repo add kcsr https://postfinance.github.io/kubelet-csr-approver --force-update`]);
  });

  it('the password goes on stdin; absent removes only a repository that is there', async () => {
    const none = new FakeConnection().on(' repo list ', { stdout: '[]' });
    const op = await planModule('helm_repository', { ...repo, username: 'u', password: 'p4ss' }, none);
    expect(op.steps[0]).toMatchObject({ cmd: `${H} repo add kcsr https://postfinance.github.io/kubelet-csr-approver --username=u --password-stdin`, stdin: 'p4ss', secrets: ['p4ss'] });
    const gone = await planModule('helm_repository', { name: 'kcsr', state: 'absent' }, list('https://x'));
    expect(cmds(gone)).toEqual(['helm repo remove kcsr']);
    expect((await planModule('helm_repository', { name: 'kcsr', state: 'absent' }, none)).steps).toEqual([]);
    await expect(planModule('helm_repository', { name: 'kcsr' }, none)).rejects.toMatchObject({ code: 'E_MODULE', message: expect.stringMatching(/needs repo_url/) });
  });
});

describe("helm and helm_repository through the executor, written as kubespray's helm-apps role writes them", () => {
  it('arguments as one template per item (defaults | combine(common, item)), omitted credentials dropped', async () => {
    const pool = new FakePool((c) => {
      c.on(' repo list ', { stdout: '[]' }).on(' list ', { stdout: '[]' });
    });
    const { summary, ev } = await runYaml(
      `- hosts: all
  gather_facts: false
  vars:
    helm_defaults: { atomic: true, binary_path: /usr/local/bin/helm }
    helm_repository_defaults: { binary_path: /usr/local/bin/helm, force_update: true }
    release_common_opts: {}
    repositories:
      - { name: kcsr, url: "https://postfinance.github.io/kubelet-csr-approver", username: "{{ repo_user | default(omit) }}" }
    releases:
      - { name: kubelet-csr-approver, namespace: kube-system, chart_ref: kcsr/kubelet-csr-approver, chart_version: 1.1.0, wait: true, atomic: false, values: {} }
  tasks:
    - kubernetes.core.helm_repository: "{{ helm_repository_defaults | combine(item) }}"
      loop: "{{ repositories }}"
    - kubernetes.core.helm:
        state: absent
        binary_path: /usr/local/bin/helm
        release_name: dummy
        release_namespace: kube-system
        update_repo_cache: true
    - kubernetes.core.helm: "{{ helm_defaults | combine(release_common_opts, item) }}"
      loop: "{{ releases }}"
`,
      { inventory: 'cp1\n', pool },
    );
    expect(summary.exitCode, JSON.stringify(ev.of('host_result').map((r) => r.msg))).toBe(0);
    const ran = pool.execs('cp1').filter((c) => / repo (add|update)| upgrade /.test(c));
    expect(ran).toEqual([
      '/usr/local/bin/helm repo add kcsr https://postfinance.github.io/kubelet-csr-approver',
      '/usr/local/bin/helm repo update',
      '/usr/local/bin/helm upgrade --install kubelet-csr-approver kcsr/kubelet-csr-approver --namespace=kube-system --version=1.1.0 --reset-values --wait',
    ]);
  });
});
