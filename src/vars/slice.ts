import { TemplateTypeError, brief } from './python.js';

/** Python slicing: `x[1:]`, `x[:-1]`, `x[::2]`, `x[::-1]`. */

export function sliceIndex(v: unknown, what: string): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TemplateTypeError(`slice ${what} must be an integer`);
  return v;
}

/** Python slicing of lists and strings: `x[1:]`, `x[:-1]`, `x[::2]`, `x[::-1]`. */
export function pySlice(seq: unknown, start?: number, stop?: number, step = 1): unknown {
  if (typeof seq !== 'string' && !Array.isArray(seq)) throw new TemplateTypeError(`cannot slice ${brief(seq)}`);
  if (step === 0) throw new TemplateTypeError('slice step cannot be zero');
  const items: unknown[] = typeof seq === 'string' ? [...seq] : seq;
  const len = items.length;
  const norm = (i: number | undefined, dflt: number, lo: number, hi: number) =>
    i === undefined ? dflt : Math.min(Math.max(i < 0 ? i + len : i, lo), hi);
  const out: unknown[] = [];
  if (step > 0) for (let i = norm(start, 0, 0, len); i < norm(stop, len, 0, len); i += step) out.push(items[i]);
  else for (let i = norm(start, len - 1, -1, len - 1); i > norm(stop, -1, -1, len - 1); i += step) out.push(items[i]);
  return typeof seq === 'string' ? out.join('') : out;
}
