import { TemplateTypeError } from '../python.js';

/** Loose version comparison (Ansible's `version` test default): numbers compare as numbers. */
function parts(v: string): Array<number | string> {
  return v
    .replace(/^v/i, '')
    .split(/[.\-+_]/)
    .filter((p) => p !== '')
    .flatMap((p) => p.match(/\d+|[^\d]+/g) ?? [])
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export function versionCmp(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

const OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
};

export function compareVersions(a: string, b: string, op: string): boolean {
  const f = OPS[op];
  if (!f)
    throw new TemplateTypeError(`version test: unknown operator '${op}' (use one of ${Object.keys(OPS).join(' ')})`);
  return f(versionCmp(a, b));
}
