import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStream } from './local-snapshot.js';
import { encodeSnapshot, keyFingerprint, loadKey, openDecoded } from './snapshot-codec.js';

describe('snapshots at rest: gzip and AES-256-GCM, streamed', () => {
  let dir = '';
  let plain = '';
  let sha = '';
  const key = randomBytes(32);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-codec-'));
    const body = Buffer.concat([Buffer.alloc(300_000, 7), randomBytes(200_000)]);
    const file = Buffer.concat([body, createHash('sha256').update(body).digest()]);
    plain = path.join(dir, 's.db');
    await writeFile(plain, file);
    sha = createHash('sha256').update(file).digest('hex');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('encodes and decodes back to the same bytes (trailer intact), the key only as its fingerprint', async () => {
    for (const opts of [{ gzip: true }, { gzip: false, key }, { gzip: true, key }]) {
      const form = await encodeSnapshot(plain, opts);
      expect(form.file).toBe(`s.db${opts.gzip ? '.gz' : ''}${opts.key ? '.enc' : ''}`);
      const stored = await readFile(path.join(dir, form.file));
      expect(createHash('sha256').update(stored).digest('hex')).toBe(form.sha256);
      expect(stored.includes(key)).toBe(false);
      if (opts.key) expect(form.encryption).toEqual({ cipher: 'aes-256-gcm', key_fingerprint: keyFingerprint(key) });
      const d = await digestStream(await openDecoded(path.join(dir, form.file), form, opts.key));
      expect(d).toEqual({ sha256: sha, trailerOk: true, size: 500_032 });
    }
  });

  it('refuses a wrong key before reading, and a changed file at the end (GCM)', async () => {
    const form = await encodeSnapshot(plain, { gzip: true, key });
    const file = path.join(dir, form.file);
    await expect(openDecoded(file, form, randomBytes(32))).rejects.toThrow(`was encrypted with the key of fingerprint ${keyFingerprint(key)}`);
    await expect(openDecoded(file, form, undefined)).rejects.toThrow('is encrypted');
    const bytes = await readFile(file);
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    await writeFile(file, bytes);
    // streamed: gunzip may meet the changed (unauthenticated) bytes before GCM's tag is checked at the end;
    // either way the stream is refused
    await expect(digestStream(await openDecoded(file, form, key))).rejects.toThrow(/authenticate|invalid stored block|invalid (distance|code|block type)|incorrect header/);
  });

  it('reads a key from a file or the environment: raw, hex or base64 of 32 bytes', async () => {
    const f = path.join(dir, 'k');
    await writeFile(f, `${key.toString('base64')}\n`);
    expect((await loadKey({ key_file: f }))?.equals(key)).toBe(true);
    process.env.LIFEBOAT_TEST_KEY = key.toString('hex');
    expect((await loadKey({ key_env: 'LIFEBOAT_TEST_KEY' }))?.equals(key)).toBe(true);
    await writeFile(f, 'too short');
    await expect(loadKey({ key_file: f })).rejects.toThrow('does not hold a 32-byte key');
    expect(await loadKey({})).toBeUndefined();
  });
});
