import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/connection/ssh-connection.js';
import { type Bench, sshdSkipReason, startBench, sudoSkipReason } from '../connection/setup.js';
import { TEST_PASSWORD, TEST_USER } from '../connection/sshd.js';
import { runModule } from './run.js';

const skip = sshdSkipReason() ?? sudoSkipReason();
if (skip) console.warn(`module become tests skipped: ${skip}`);

/**
 * Modules with become over real SSH: a non-root login (the connection tests' user) that must use sudo (with a
 * password) to read and write a root-only directory. Probes, uploads, attribute changes and downloads all go
 * through become; the password appears in no result.
 */
describe.skipIf(skip)('modules with become (sudo) as a non-root login', () => {
  let b: Bench;
  let conn: SshConnection;
  let root: string;
  let pb: string;
  beforeAll(async () => {
    b = await startBench();
    conn = new SshConnection(b.spec({ ansible_user: TEST_USER, ansible_become_password: TEST_PASSWORD }));
    root = await mkdtemp(join(tmpdir(), 'lb-become-'));
    await chmod(root, 0o700);
    pb = await mkdtemp(join(tmpdir(), 'lb-become-pb-'));
    await mkdir(join(pb, 'templates'));
    await writeFile(join(pb, 'templates', 'x.j2'), 'user={{ who }}\n');
    await writeFile(join(root, 'secret.conf'), 'a=1\n', { mode: 0o600 });
  });
  afterAll(async () => {
    await conn?.close();
    await b?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
    if (pb) await rm(pb, { recursive: true, force: true });
  });
  const run = (name: string, args: Record<string, unknown>, become = true) =>
    runModule(name, args, conn, { become, playbookDir: pb, vars: { who: 'ops' } });

  it('without become the root-only directory is out of reach', async () => {
    const r = await run('copy', { content: 'x\n', dest: join(root, 'x') }, false);
    expect(r.result.failed).toBe(true);
  });

  it('copy, template, lineinfile, file and stat work through sudo, idempotently', async () => {
    const dest = join(root, 'app.conf');
    const c1 = await run('copy', { content: 'k=v\n', dest, mode: '0640' });
    expect(c1.result.failed).toBeUndefined();
    expect(await readFile(dest, 'utf8')).toBe('k=v\n');
    const st = await stat(dest);
    expect([st.uid, st.mode & 0o777]).toEqual([0, 0o640]);
    expect((await run('copy', { content: 'k=v\n', dest, mode: '0640' })).op.steps).toEqual([]);

    const t = await run('template', { src: 'x.j2', dest: join(root, 'x.conf') });
    expect(t.result.failed).toBeUndefined();
    expect(await readFile(join(root, 'x.conf'), 'utf8')).toBe('user=ops\n');

    const l = await run('lineinfile', { path: join(root, 'secret.conf'), line: 'b=2' });
    expect(l.result).toMatchObject({ changed: true, msg: 'line added' });
    expect(await readFile(join(root, 'secret.conf'), 'utf8')).toBe('a=1\nb=2\n');
    expect((await stat(join(root, 'secret.conf'))).mode & 0o777).toBe(0o600);

    const d = await run('file', { path: join(root, 'd'), state: 'directory', owner: TEST_USER, mode: '0700' });
    expect(d.result.failed).toBeUndefined();
    expect((await stat(join(root, 'd'))).mode & 0o777).toBe(0o700);

    const s = await run('stat', { path: join(root, 'secret.conf') });
    expect(s.result.stat).toMatchObject({ exists: true, pw_name: 'root', mode: '0600' });
    expect((s.result.stat as { checksum?: string }).checksum).toMatch(/^[0-9a-f]{40}$/);
    expect(JSON.stringify([c1, t, l, d, s].map((x) => x.result))).not.toContain(TEST_PASSWORD);
  });

  it('fetch reads a root-only file through sudo', async () => {
    const r = await run('fetch', { src: join(root, 'secret.conf'), dest: `${pb}/out/`, flat: true });
    expect(r.result.failed).toBeUndefined();
    expect(await readFile(join(pb, 'out', 'secret.conf'), 'utf8')).toBe('a=1\nb=2\n');
  });
});
