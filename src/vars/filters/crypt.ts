/**
 * `password_hash`: crypt(3) hashes for /etc/shadow and the like — `sha512` (default, `$6$`) and `sha256`
 * (`$5$`), Ulrich Drepper's SHA-crypt, written from its specification; `md5`/`bcrypt`/… are refused naming
 * what is supported. Without a salt a random one is drawn (a new hash every run, as Ansible's), so playbooks
 * that want idempotence pass `salt`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TemplateTypeError, pyStr } from '../python.js';
import { arg, type FilterFn } from '../registry.js';

const B64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const SCHEMES = {
  sha512: { id: '6', alg: 'sha512', len: 64 },
  sha256: { id: '5', alg: 'sha256', len: 32 },
} as const;
type Scheme = (typeof SCHEMES)[keyof typeof SCHEMES];

// the byte order of the output encoding, three bytes (or fewer) per group of four characters
const ORDER = {
  sha512: [
    [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
    [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
  ],
  sha256: [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]],
};

function b64(w: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++, w >>= 6) s += B64[w & 0x3f];
  return s;
}

/** `len` bytes of `src` repeated. */
function repeatTo(src: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i += src.length) src.copy(out, i, 0, Math.min(src.length, len - i));
  return out;
}

export function shaCrypt(scheme: Scheme, password: string, saltIn: string, roundsIn?: number): string {
  const H = (...parts: Buffer[]): Buffer => {
    const h = createHash(scheme.alg);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const pw = Buffer.from(password, 'utf8');
  const salt = Buffer.from(saltIn.slice(0, 16), 'utf8');
  const rounds = roundsIn === undefined ? 5000 : Math.min(999_999_999, Math.max(1000, roundsIn));
  const b = H(pw, salt, pw);
  const a = createHash(scheme.alg).update(pw).update(salt).update(repeatTo(b, pw.length));
  for (let n = pw.length; n > 0; n >>= 1) a.update(n & 1 ? b : pw);
  const A = a.digest();
  const P = repeatTo(H(...Array<Buffer>(pw.length).fill(pw)), pw.length);
  const S = repeatTo(H(...Array<Buffer>(16 + (A[0] as number)).fill(salt)), salt.length);
  let c: Buffer = A;
  for (let i = 0; i < rounds; i++) {
    const parts = [i & 1 ? P : c];
    if (i % 3) parts.push(S);
    if (i % 7) parts.push(P);
    parts.push(i & 1 ? c : P);
    c = H(...parts);
  }
  let out = '';
  for (const [x, y, z] of ORDER[scheme.alg]) out += b64(((c[x as number] as number) << 16) | ((c[y as number] as number) << 8) | (c[z as number] as number), 4);
  out += scheme.alg === 'sha512' ? b64(c[63] as number, 2) : b64(((c[31] as number) << 8) | (c[30] as number), 3);
  return `$${scheme.id}$${roundsIn === undefined ? '' : `rounds=${rounds}$`}${salt.toString('utf8')}$${out}`;
}

const passwordHash: FilterFn = (v, a, kw) => {
  const type = pyStr(arg(a, kw, 0, 'hashtype', 'sha512')).replace(/_crypt$/, '');
  const scheme = (SCHEMES as Record<string, Scheme | undefined>)[type];
  if (!scheme) throw new TemplateTypeError(`password_hash: hash type '${type}' is not supported by Lifeboat (it has sha512, sha256)`);
  const given = arg<unknown>(a, kw, 1, 'salt', undefined);
  const salt = given === undefined || given === null ? [...randomBytes(16)].map((x) => B64[x & 0x3f]).join('') : pyStr(given);
  if (!/^[./0-9A-Za-z]*$/.test(salt)) throw new TemplateTypeError('password_hash: a salt may hold only ./0-9A-Za-z');
  const rounds = arg<unknown>(a, kw, 3, 'rounds', undefined);
  return shaCrypt(scheme, pyStr(v), salt, rounds === undefined || rounds === null ? undefined : Number(rounds));
};

export const cryptFilters: Record<string, FilterFn> = { password_hash: passwordHash };
