import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putVerified } from '../../src/connection/put-verified.js';
import { SshConnection } from '../../src/connection/ssh-connection.js';
import { type Bench, sshdSkipReason, startBench, sudoSkipReason } from './setup.js';
import { TEST_PASSWORD, TEST_USER } from './sshd.js';

const skip = sshdSkipReason();
if (skip) console.warn(`connection transfer tests skipped: ${skip}`);

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

describe.skipIf(skip)('put/get over SFTP against a real sshd', () => {
  let b: Bench;
  let c: SshConnection;
  let remote: string; // a root-owned 0755 directory on the "host"
  beforeAll(async () => {
    b = await startBench();
    c = new SshConnection(b.spec());
    remote = join(b.dir, 'remote');
    await mkdir(remote, { mode: 0o755 });
  });
  afterAll(async () => {
    await c?.close();
    await b?.cleanup();
  });

  const ls = async () => (await c.exec(`ls -A ${remote}`)).stdout.split('\n').filter(Boolean).sort();

  it('puts and gets a 50 MB file intact (sha256 on both sides)', async () => {
    const local = join(b.dir, 'big.bin');
    await writeFile(local, randomBytes(50 * 1024 * 1024));
    const want = await sha256File(local);
    await c.put(local, `${remote}/big.bin`, { mode: 0o600 });
    const r = await c.exec(`sha256sum ${remote}/big.bin; stat -c %a ${remote}/big.bin`);
    expect(r.stdout).toBe(`${want}  ${remote}/big.bin\n600\n`);
    const back = join(b.dir, 'big.back');
    await c.get(`${remote}/big.bin`, back);
    expect(await sha256File(back)).toBe(want);
    await c.exec(`rm -f ${remote}/big.bin`);
  });

  it('puts a buffer or a stream with mode and owner by name, leaving no temporary file', async () => {
    await c.put(Buffer.from('hello\n'), `${remote}/a.txt`, { mode: 0o640, owner: TEST_USER, group: 'root' });
    await c.put(Readable.from(['str', 'eam\n']), `${remote}/b.txt`);
    const r = await c.exec(`stat -c '%a %U %G' ${remote}/a.txt ${remote}/b.txt; cat ${remote}/a.txt ${remote}/b.txt`);
    expect(r.stdout).toBe(`640 ${TEST_USER} root\n644 root root\nhello\nstream\n`);
    expect(await ls()).toEqual(['a.txt', 'b.txt']);
  });

  it('a failed upload leaves the old destination file as it was, and no temporary file', async () => {
    await c.put(Buffer.from('old content\n'), `${remote}/keep.txt`);
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 97));
        this.destroy(new Error('source broke'));
      },
    });
    await expect(c.put(failing, `${remote}/keep.txt`)).rejects.toMatchObject({ code: 'E_TASK' });
    expect((await c.exec(`cat ${remote}/keep.txt`)).stdout).toBe('old content\n');
    expect((await ls()).filter((f) => f.includes('keep'))).toEqual(['keep.txt']);
  });

  it('get of a missing file fails with E_TASK naming host and path', async () => {
    const e = await c.get(`${remote}/absent`, join(b.dir, 'x')).then(() => undefined, (x: unknown) => x);
    expect(e).toMatchObject({ code: 'E_TASK', host: 'target' });
    expect((e as Error).message).toContain(`${remote}/absent`);
  });

  it('a root login with become to another user writes in place and gives the file to that user', async () => {
    const r0 = new SshConnection(b.spec({ ansible_become: true, ansible_become_user: TEST_USER }));
    try {
      await r0.put(Buffer.from('mine\n'), `${remote}/user.txt`);
      expect((await c.exec(`stat -c '%U %G %a' ${remote}/user.txt`)).stdout).toBe(`${TEST_USER} ${TEST_USER} 644\n`);
    } finally {
      await r0.close();
    }
  });

  it('refuses become to a non-root user from a non-root login for transfers, saying what to do', async () => {
    const u = new SshConnection(b.spec({ ansible_user: TEST_USER, ansible_become: true, ansible_become_user: 'nobody' }));
    try {
      const e = await u.put(Buffer.from('x'), `${remote}/x`).then(() => undefined, (x: unknown) => x);
      expect(e).toMatchObject({ code: 'E_USAGE', host: 'target' });
      expect((e as { hint?: string }).hint).toContain('owner: nobody');
    } finally {
      await u.close();
    }
  });

  it.skipIf(sudoSkipReason())('with become and a non-root login, uploads to a temp path then sudo-moves into place', async () => {
    const u = new SshConnection(b.spec({ ansible_user: TEST_USER, ansible_become_password: TEST_PASSWORD }));
    try {
      // The login user cannot write there itself.
      expect((await u.exec(`touch ${remote}/nope`)).rc).not.toBe(0);
      await u.put(Buffer.from('as root\n'), `${remote}/root.txt`, { become: true, mode: 0o600 });
      const r = await c.exec(`stat -c '%a %U' ${remote}/root.txt; cat ${remote}/root.txt`);
      expect(r.stdout).toBe('600 root\nas root\n');
      // And reads a root-only file back through sudo.
      const back = join(b.dir, 'root.back');
      await u.get(`${remote}/root.txt`, back, { become: true });
      expect(await readFile(back, 'utf8')).toBe('as root\n');
      expect((await u.exec("ls -A /tmp | grep -c '^\\.root\\.txt\\.lifeboat-' || true")).stdout.trim()).toBe('0');
    } finally {
      await u.close();
    }
  });
});

describe.skipIf(skip)('putVerified: one exec channel, sha256 on both sides while streaming', () => {
  let b: Bench;
  let c: SshConnection;
  let remote: string;
  beforeAll(async () => {
    b = await startBench();
    c = new SshConnection(b.spec());
    remote = join(b.dir, 'remote-v');
    await mkdir(remote, { mode: 0o755 });
  });
  afterAll(async () => {
    await c?.close();
    await b?.cleanup();
  });

  it('copies a 20 MB file into place with its mode when the host saw the expected sha256 and size', async () => {
    const local = join(b.dir, 'v.bin');
    await writeFile(local, randomBytes(20 * 1024 * 1024 + 7));
    const want = await sha256File(local);
    const r = await putVerified(c, local, join(remote, 'v.bin'), { sha256: want, size: 20 * 1024 * 1024 + 7 }, { mode: 0o640 });
    expect(r).toEqual({ bytes: 20 * 1024 * 1024 + 7 });
    expect(await sha256File(join(remote, 'v.bin'))).toBe(want);
    expect((await c.exec(`stat -c %a ${join(remote, 'v.bin')}`)).stdout.trim()).toBe('640');
    expect((await c.exec(`ls -A ${remote}`)).stdout.trim()).not.toMatch(/lifeboat-/); // no temporary file left
  });

  it('refuses (and leaves nothing) when the bytes differ from the expected sha256 or size, keeping the old file', async () => {
    const local = join(b.dir, 'w.bin');
    await writeFile(local, 'new content\n');
    await writeFile(join(remote, 'w.bin'), 'old\n');
    const sha = createHash('sha256').update('new content\n').digest('hex');
    const other = createHash('sha256').update('other\n').digest('hex');
    await expect(putVerified(c, local, join(remote, 'w.bin'), { sha256: other, size: 12 })).rejects.toThrow(/arrived: sha256 [0-9a-f]{64}, 12 bytes/);
    await expect(putVerified(c, local, join(remote, 'w.bin'), { sha256: sha, size: 13 })).rejects.toThrow(/failed/);
    expect(await readFile(join(remote, 'w.bin'), 'utf8')).toBe('old\n');
    expect((await c.exec(`ls -A ${remote}`)).stdout.trim()).not.toMatch(/lifeboat-/);
  });

  it('takes a stream opener (a snapshot decoded on the way) and runs the put of an apply step with verify', async () => {
    const chunks = Array.from({ length: 8 }, (_, i) => Buffer.alloc(512 * 1024, i + 1));
    const h = createHash('sha256');
    for (const ch of chunks) h.update(ch);
    const sha = h.digest('hex');
    const size = 8 * 512 * 1024;
    const r = await putVerified(c, async () => Readable.from(chunks), join(remote, 's.bin'), { sha256: sha, size });
    expect(r).toEqual({ bytes: size });
    expect(await sha256File(join(remote, 's.bin'))).toBe(sha);
    // the same through a module step (modules/apply.ts): a wrong expected sha256 fails the step, nothing left
    const { applyOperation } = await import('../../src/modules/apply.js');
    const { SecretSet } = await import('../../src/secrets.js');
    const step = { kind: 'put' as const, open: async () => Readable.from(chunks), src: 'decoded.db', dest: join(remote, 't.bin'), mode: 0o600, verify: { sha256: '0'.repeat(64), size } };
    let seen: Array<string | undefined> = [];
    const op = { changed: true, steps: [step], finish: (o: Array<{ error?: string }>) => {
        seen = o.map((x) => x.error);
        return { changed: true };
      },
    };
    await applyOperation(op, c, { secrets: new SecretSet(), become: false });
    expect(seen).toEqual([expect.stringMatching(/arrived: sha256 [0-9a-f]{64}, 4194304 bytes/)]);
    expect((await c.exec(`ls -A ${remote}`)).stdout).not.toMatch(/t\.bin|lifeboat-/);
  });

  it('streams a Readable given as exec stdin with back-pressure (a command reading it whole)', async () => {
    const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(256 * 1024, i));
    const r = await c.exec('sha256sum', { stdin: Readable.from(chunks) });
    const h = createHash('sha256');
    for (const ch of chunks) h.update(ch);
    expect(r.rc).toBe(0);
    expect(r.stdout.split(' ')[0]).toBe(h.digest('hex'));
  });
});
