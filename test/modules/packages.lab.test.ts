import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/connection/index.js';
import type { Connection } from '../../src/connection/types.js';
import { describeLab } from '../lab/fixture.js';
import { threeRuns } from './idempotence.js';
import { labPool } from './lab-conn.js';
import { runModule } from './run.js';

/**
 * apt and package for real on a lab host. Lab hosts have no route out, so the repository is a local one: .deb
 * packages built here with dpkg-deb (their files under /usr/local, which is the host's own), indexed with
 * dpkg-scanpackages, and the host's apt sources (its own /etc) pointed at it only.
 */
function buildDeb(dir: string, version: string): void {
  const root = mkdtempSync(join(tmpdir(), 'lb-deb-'));
  mkdirSync(join(root, 'DEBIAN'));
  mkdirSync(join(root, 'usr/local/share/lbtest'), { recursive: true });
  writeFileSync(join(root, 'usr/local/share/lbtest/hello'), `${version}\n`);
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: lbtest-hello\nVersion: ${version}\nArchitecture: all\nMaintainer: Lifeboat tests <tests@invalid>\nDescription: a package for Lifeboat's apt tests\n`,
  );
  execFileSync('dpkg-deb', ['--build', '--root-owner-group', root, join(dir, `lbtest-hello_${version}_all.deb`)], { stdio: 'ignore' });
  rmSync(root, { recursive: true, force: true });
  execFileSync('sh', ['-c', `cd '${dir}' && dpkg-scanpackages --multiversion . /dev/null > Packages 2>/dev/null`]);
}

describeLab('apt and package on a lab host (a local repository)', { hosts: 1, etcd: 0, masters: 0, tls: false }, (lab) => {
  let pool: ConnectionPool;
  let conn: Connection;
  let repo: string;
  const sh = async (cmd: string) => {
    const r = await lab().sh('node1', cmd);
    expect(r.rc, r.stderr).toBe(0);
    return r.stdout;
  };
  const run = (name: string, args: Record<string, unknown>, over = {}) => runModule(name, args, conn, over);
  const sync = async () => {
    await sh('mkdir -p /var/lbrepo');
    for (const f of readdirSync(repo)) await conn.put(join(repo, f), `/var/lbrepo/${f}`);
  };
  beforeAll(async () => {
    pool = labPool(lab());
    conn = await pool.get('node1');
    repo = mkdtempSync(join(tmpdir(), 'lb-repo-'));
    buildDeb(repo, '1.0');
    await sync();
    await sh('mkdir -p /etc/apt/off && mv /etc/apt/sources.list.d/* /etc/apt/off/ 2>/dev/null; : > /etc/apt/sources.list; echo "deb [trusted=yes] file:/var/lbrepo ./" > /etc/apt/sources.list.d/lb.list');
  });
  afterAll(async () => {
    await pool?.closeAll();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('update_cache alone is a change; then install with cache_valid_time: plan, install, no change', async () => {
    const up = await run('apt', { update_cache: true });
    expect(up.result).toMatchObject({ changed: true, cache_updated: true });
    const args = { name: 'lbtest-hello', update_cache: true, cache_valid_time: 3600 };
    await threeRuns(conn, 'apt', args, { unchanged: async () => expect(await sh('test -e /usr/local/share/lbtest/hello || echo none')).toBe('none\n') });
    expect(await sh('cat /usr/local/share/lbtest/hello; dpkg -s lbtest-hello | grep ^Version')).toBe('1.0\nVersion: 1.0\n');
  });

  it('latest upgrades to the repository version; a pinned version is kept', async () => {
    buildDeb(repo, '1.1');
    await sync();
    await run('apt', { update_cache: true });
    expect((await run('apt', { name: 'lbtest-hello=1.*' })).op.steps).toEqual([]);
    await threeRuns(conn, 'apt', { name: ['lbtest-hello'], state: 'latest' }, { unchanged: async () => expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.0\n') });
    expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.1\n');
  });

  it('package dispatches to apt: absent removes; deb installs a file; dnf/yum refuse on this host', async () => {
    const gone = await threeRuns(conn, 'package', { name: 'lbtest-hello', state: 'absent' }, { unchanged: async () => expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.1\n') });
    expect(gone.plan.steps[0]).toMatchObject({ destructive: expect.stringContaining('lbtest-hello') });
    expect(await sh('dpkg -l lbtest-hello 2>/dev/null | grep -c ^ii; test -e /usr/local/share/lbtest/hello || echo none')).toBe('0\nnone\n');
    await threeRuns(conn, 'package', { name: 'lbtest-hello', update_cache: true, cache_valid_time: 3600 }, { unchanged: async () => {} });
    expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.1\n');
    await run('apt', { name: 'lbtest-hello', state: 'absent' });
    await threeRuns(conn, 'ansible.builtin.apt', { deb: '/var/lbrepo/lbtest-hello_1.0_all.deb' }, { unchanged: async () => {} });
    expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.0\n');
    await expect(run('dnf', { name: 'vim' })).rejects.toThrow(/no rpm/);
    await expect(run('package', { name: 'vim', use: 'yum' }, { check: true })).rejects.toThrow(/no rpm/);
    await expect(run('apt', { deb: 'https://example.invalid/x.deb' })).rejects.toThrow(/URL is not supported/);
  });

  it('dpkg_selections: hold, then no change, then back to install', async () => {
    await threeRuns(conn, 'dpkg_selections', { name: 'lbtest-hello', selection: 'hold' }, { unchanged: async () => expect(await sh('dpkg --get-selections lbtest-hello')).toMatch(/install/) });
    expect(await sh('dpkg --get-selections lbtest-hello')).toMatch(/hold/);
    await threeRuns(conn, 'dpkg_selections', { name: 'lbtest-hello', selection: 'install' }, { unchanged: async () => {} });
  });

  it('package_facts: installed packages from dpkg, the test package among them', async () => {
    await run('apt', { deb: '/var/lbrepo/lbtest-hello_1.0_all.deb' });
    const f = await run('package_facts', {});
    const pk = (f.result.ansible_facts as { packages: Record<string, Array<Record<string, string>>> }).packages;
    expect(pk['lbtest-hello']).toEqual([{ name: 'lbtest-hello', version: '1.0', arch: 'all', source: 'apt' }]);
    expect(pk.dpkg?.[0]?.source).toBe('apt');
    expect(f.op.steps).toEqual([]);
  });

  it('upgrade: dist and safe from apt-get -s (nothing to upgrade is no step); autoclean of a file no longer downloadable', async () => {
    // 1.0 installed (above); the repository has 1.0 and 1.1: safe upgrade to 1.1, then nothing left
    await run('apt', { update_cache: true });
    await threeRuns(conn, 'apt', { upgrade: 'safe' }, { unchanged: async () => expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.0\n') });
    expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.1\n');
    buildDeb(repo, '1.2');
    await sync();
    await run('apt', { update_cache: true });
    const d = await threeRuns(conn, 'apt', { upgrade: 'dist' }, { unchanged: async () => expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.1\n') });
    expect(d.plan.steps.map((st) => st.kind === 'exec' && st.cmd.split(' ').slice(0, 2).join(' '))).toEqual(['apt-get dist-upgrade']);
    expect(await sh('cat /usr/local/share/lbtest/hello')).toBe('1.2\n');
    // with update_cache the plan cannot know what the new lists bring: the step stays, its change unknown
    const p = await run('apt', { upgrade: true, update_cache: true }, { check: true });
    expect([p.op.changed, p.op.steps.length]).toEqual(['unknown', 2]);
    await sh('cp /var/lbrepo/lbtest-hello_1.0_all.deb /var/cache/apt/archives/lbtest-hello_0.9_all.deb');
    await threeRuns(conn, 'apt', { autoclean: true }, { unchanged: async () => expect(await sh('ls /var/cache/apt/archives/ | grep -c lbtest')).toBe('1\n') });
    expect(await sh('ls /var/cache/apt/archives/ | grep -c lbtest || true')).toBe('0\n');
  });

  it('pip: a virtualenv made first, a pinned version, latest from a local index, a satisfied specifier, requirements, absent; each idempotent', async () => {
    // two versions of a wheel built on the host (lab hosts have no route out: the index is a directory)
    await sh(String.raw`rm -rf /var/lb-pip && mkdir -p /var/lb-pip/wheels && cd /var/lb-pip/wheels && python3 - <<'PY'
import base64, hashlib, zipfile
for v in ("1.0", "2.0"):
    files = {"lbdemo/__init__.py": f"VERSION = '{v}'\n", f"lbdemo-{v}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: lbdemo\nVersion: {v}\n",
             f"lbdemo-{v}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: lifeboat-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = "".join(f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b'=').decode()},{len(c)}\n" for n, c in files.items())
    with zipfile.ZipFile(f"lbdemo-{v}-py3-none-any.whl", "w") as z:
        for n, c in files.items(): z.writestr(n, c)
        z.writestr(f"lbdemo-{v}.dist-info/RECORD", record + f"lbdemo-{v}.dist-info/RECORD,,\n")
PY`);
    const base = { virtualenv: '/var/lb-pip/venv', virtualenv_command: 'python3 -m venv', extra_args: '--no-index --find-links /var/lb-pip/wheels' };
    const version = () => sh("/var/lb-pip/venv/bin/python -c 'import lbdemo; print(lbdemo.VERSION)'");
    await threeRuns(conn, 'ansible.builtin.pip', { ...base, name: 'lbdemo', version: '1.0' }, {
      unchanged: async () => expect(await sh('test -e /var/lb-pip/venv || echo none')).toBe('none\n'),
    });
    expect(await version()).toBe('1.0\n');
    const latest = await run('pip', { ...base, name: ['lbdemo'], state: 'latest' });
    expect(latest.result).toMatchObject({ changed: true, state: 'latest' });
    expect(await version()).toBe('2.0\n');
    expect((await run('pip', { ...base, name: ['lbdemo'], state: 'latest' })).result.changed).toBe(false);
    const satisfied = await run('pip', { ...base, name: 'lbdemo>=1.5,<3' }, { check: true });
    expect(satisfied.op.steps).toEqual([]);
    await sh('echo "lbdemo==1.0" > /var/lb-pip/req.txt');
    expect((await run('pip', { ...base, requirements: '/var/lb-pip/req.txt' })).result.changed).toBe(true);
    expect(await version()).toBe('1.0\n');
    expect((await run('pip', { ...base, requirements: '/var/lb-pip/req.txt' })).result.changed).toBe(false);
    // extra_args go to uninstall too (as in Ansible): pip uninstall has no --no-index
    await threeRuns(conn, 'pip', { virtualenv: base.virtualenv, name: 'LBDemo', state: 'absent' }, { unchanged: async () => expect(await version()).toBe('1.0\n') });
    expect(await sh("/var/lb-pip/venv/bin/python -c 'import lbdemo' 2>&1 || true")).toContain('ModuleNotFoundError');
    const missing = await run('pip', { ...base, name: 'no-such-package-lb' });
    expect(missing.result).toMatchObject({ failed: true, changed: false });
    expect(String(missing.result.msg)).toContain('No matching distribution found for no-such-package-lb');
  });
});
