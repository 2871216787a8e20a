import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { LifeboatError } from '../errors.js';
import type { ModuleContext } from './types.js';

/**
 * Finds a controller-side file as Ansible does: an absolute path as is; a relative one in the role's
 * `files/` (or `templates/`), the role dir, then the playbook dir's `files/` (`templates/`) and the playbook dir.
 */
export async function findLocalFile(
  ctx: Pick<ModuleContext<unknown>, 'roleDir' | 'playbookDir' | 'host'>,
  module: string,
  sub: 'files' | 'templates' | 'vars',
  src: string,
): Promise<{ path: string; isDir: boolean }> {
  const candidates = isAbsolute(src)
    ? [src]
    : [
        ...(ctx.roleDir ? [join(ctx.roleDir, sub, src), join(ctx.roleDir, src)] : []),
        join(ctx.playbookDir, sub, src),
        join(ctx.playbookDir, src),
      ];
  for (const c of candidates) {
    try {
      const s = await stat(c);
      return { path: c, isDir: s.isDirectory() };
    } catch {
      // try the next one
    }
  }
  throw new LifeboatError('E_MODULE', `${module}: could not find src ${JSON.stringify(src)} on the controller`, {
    host: ctx.host,
    hint: `looked in: ${candidates.join(', ')}`,
  });
}

export interface Digest {
  sha1: string;
  sha256: string;
  size: number;
}

export function digestBuffer(data: Buffer): Digest {
  return {
    sha1: createHash('sha1').update(data).digest('hex'),
    sha256: createHash('sha256').update(data).digest('hex'),
    size: data.length,
  };
}

/** sha1 + sha256 of a local file, streamed (snapshots can be gigabytes). */
export async function digestFile(path: string): Promise<Digest> {
  const h1 = createHash('sha1');
  const h256 = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const b = chunk as Buffer;
    h1.update(b);
    h256.update(b);
    size += b.length;
  }
  return { sha1: h1.digest('hex'), sha256: h256.digest('hex'), size };
}

/** The text of a buffer when it looks like text (no NUL byte, valid UTF-8), else undefined. */
export function asText(data: Buffer): string | undefined {
  if (data.includes(0)) return undefined;
  const s = data.toString('utf8');
  return Buffer.from(s, 'utf8').equals(data) ? s : undefined;
}
