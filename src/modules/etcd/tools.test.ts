import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeConnection, fakeCtx } from '../../../test/modules/fake.js';
import { readToolsDir } from './tools-dir.js';
import { etcdToolsModule, versionProblem } from './tools.js';

describe('which etcd tools fit a member', () => {
  const t = (name: 'etcdutl' | 'etcdctl', version: string) => ({ name, version, path: `/x/${name}` });
  it('etcdutl must be of the member’s major.minor; etcdctl not of an older minor', () => {
    expect(versionProblem(t('etcdutl', '3.5.30'), '3.5.9')).toBeUndefined();
    expect(versionProblem(t('etcdutl', '3.4.23'), '3.5.9')).toBe('/x/etcdutl is etcdutl 3.4.23, this member runs etcd 3.5.9: point etcd_tools_dir at the tools of etcd 3.5');
    expect(versionProblem(t('etcdutl', '3.6.0'), '3.5.9')).toContain('this member runs etcd 3.5.9');
    expect(versionProblem(t('etcdctl', '3.6.1'), '3.5.9')).toBeUndefined();
    expect(versionProblem(t('etcdctl', '3.4.23'), '3.5.9')).toContain('older than this member');
    expect(versionProblem(t('etcdctl', '3.4.23'), undefined)).toBeUndefined(); // unknown server: nothing to say
  });
});

describe('etcd_tools_dir on the controller, and etcd_tools on a fake node', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-tools-'));
    await mkdir(path.join(dir, 'rel/usr/bin'), { recursive: true });
    await mkdir(path.join(dir, 'empty'));
    const fakes: Array<[string, string]> = [['etcdutl', 'etcdutl version: 3.5.30'], ['etcdctl', 'etcdctl version: 3.5.30\nAPI version: 3.5']];
    for (const [n, v] of fakes) {
      const f = path.join(dir, 'rel/usr/bin', n);
      await writeFile(f, `#!/bin/sh\nprintf '%s\\n' '${v}'\n`);
      await chmod(f, 0o755);
    }
    await writeFile(path.join(dir, 'bad-etcdctl'), '#!/bin/sh\nexit 3\n');
    await mkdir(path.join(dir, 'bad'));
    await writeFile(path.join(dir, 'bad/etcdctl'), '#!/bin/sh\necho nonsense\n');
    await chmod(path.join(dir, 'bad/etcdctl'), 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the tools under usr/bin, runs them for their version, hashes them', async () => {
    const td = await readToolsDir(path.join(dir, 'rel'));
    expect(td.problems).toEqual([]);
    expect(td.tools.etcdutl).toMatchObject({ name: 'etcdutl', path: path.join(dir, 'rel/usr/bin/etcdutl'), version: '3.5.30' });
    expect(td.tools.etcdctl?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(td.tools.etcdctl?.arch).toBeUndefined(); // a script, not an ELF binary
  });
  it('says what is wrong with a directory without tools, or with a tool that prints no version', async () => {
    expect((await readToolsDir(path.join(dir, 'empty'))).problems[0]).toMatch(/holds no etcdutl or etcdctl \(looked in .*empty, .*empty\/bin, .*empty\/usr\/bin\)/);
    expect((await readToolsDir(path.join(dir, 'bad'))).problems[0]).toContain('does not run here (`etcdctl version`: it printed no version: nonsense)');
  });

  it('puts the tools on a node that lacks them: copy beside, sha256 and version checked, moved into place', async () => {
    const conn = new FakeConnection('n1').on('uname -m', { stdout: 'x86_64\n' });
    const vars = { hostvars: { n1: { etcd_facts: { version: '3.5.9', config: {}, source: 'unit' } } } };
    const op = await etcdToolsModule.plan(fakeCtx({ src: path.join(dir, 'rel'), dest: '/var/lib/lifeboat/tools' }, conn, { vars }));
    expect(op.changed).toBe(true);
    expect(op.steps.map((s) => s.kind)).toEqual(['exec', 'put', 'exec', 'put', 'exec']);
    const check = op.steps[2];
    expect(check?.kind === 'exec' && check.cmd).toContain('mv /var/lib/lifeboat/tools/.etcdutl.lifeboat-new /var/lib/lifeboat/tools/etcdutl');
    expect(op.result?.ansible_facts).toEqual({
      etcd_tools: {
        etcdutl: { path: '/var/lib/lifeboat/tools/etcdutl', version: '3.5.30', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        etcdctl: { path: '/var/lib/lifeboat/tools/etcdctl', version: '3.5.30', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
    });
  });
  it('refuses tools of another etcd minor than the member runs, naming both', async () => {
    const conn = new FakeConnection('n1').on('uname -m', { stdout: 'x86_64\n' });
    const vars = { hostvars: { n1: { etcd_facts: { version: '3.4.23', config: {}, source: 'unit' } } } };
    await expect(etcdToolsModule.plan(fakeCtx({ src: path.join(dir, 'rel'), dest: '/t' }, conn, { vars }))).rejects.toThrow(
      /cannot use .*rel on this node: .*etcdutl is etcdutl 3\.5\.30, this member runs etcd 3\.4\.23/,
    );
  });
  it('changes nothing when the same tools are there, and removes only what is there', async () => {
    const td = await readToolsDir(path.join(dir, 'rel'));
    const same = `x86_64\netcdutl ${td.tools.etcdutl?.sha256}\netcdctl ${td.tools.etcdctl?.sha256}\n`;
    const conn = new FakeConnection('n1').on('uname -m', { stdout: same });
    const op = await etcdToolsModule.plan(fakeCtx({ src: path.join(dir, 'rel'), dest: '/t' }, conn));
    expect(op.changed).toBe(false);
    expect(op.steps).toEqual([]);
    const gone = await etcdToolsModule.plan(fakeCtx({ state: 'absent' as const, dest: '/t' }, new FakeConnection('n1').on('uname -m', { stdout: 'x86_64\n' })));
    expect(gone.changed).toBe(false);
    const rm1 = await etcdToolsModule.plan(fakeCtx({ state: 'absent' as const, dest: '/t' }, conn));
    expect(rm1.steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind))).toEqual(['rm -f /t/etcdutl /t/etcdctl && rmdir /t 2>/dev/null; true']);
  });
});
