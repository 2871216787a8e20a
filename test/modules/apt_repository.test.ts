import { describe, expect, it } from 'vitest';
import { parseSources, suggestFilename } from '../../src/modules/apt_repository.js';
import { FakeConnection } from './fake.js';
import { planModule } from './run.js';

describe('apt_repository', () => {
  it("names the file as Ansible does: the repo's host and path", () => {
    expect(suggestFilename('deb [arch=amd64 signed-by=/k.gpg] https://download.example.com/linux/debian bookworm stable')).toBe('download_example_com_linux_debian');
    expect(suggestFilename('deb http://user:pw@mirror.local/x/ stable main')).toBe('mirror_local_x');
  });
  it('reads every source file from one probe; present anywhere is no change; absent plans removal', async () => {
    const out = '@@lifeboat-source@@ /etc/apt/sources.list\ndeb http://a/ x main\n\n@@lifeboat-source@@ /etc/apt/sources.list.d/b.list\n# c\ndeb  http://b/   y main\n\n';
    expect([...parseSources(out).keys()]).toEqual(['/etc/apt/sources.list', '/etc/apt/sources.list.d/b.list']);
    const c = new FakeConnection().on('sources.list', { stdout: out });
    expect((await planModule('apt_repository', { repo: 'deb http://b/ y main' }, c)).steps).toEqual([]);
    const gone = await planModule('apt_repository', { repo: 'deb http://b/ y main', state: 'absent', update_cache: false }, c);
    expect(gone.steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind))).toEqual(["rm -f -- /etc/apt/sources.list.d/b.list"]);
    await expect(planModule('apt_repository', { repo: 'ppa:x/y' }, c)).rejects.toThrow(/PPAs/);
  });
});
