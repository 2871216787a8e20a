/**
 * Replaces every occurrence of a secret with a fixed mask (literal match, longest first). Secrets shorter than
 * 3 characters are ignored. The list is read live, by reference: a secret pushed onto it after the masker was
 * made (become passwords, `secret` variables found mid-run) is masked from then on.
 */
export const MASK = '********';

export function makeMasker(secrets: readonly string[]): (text: string) => string {
  let seen = -1;
  let list: string[] = [];
  return (text) => {
    if (secrets.length !== seen) {
      seen = secrets.length;
      list = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= 3))].sort(
        (a, b) => b.length - a.length,
      );
    }
    let out = text;
    for (const s of list) out = out.split(s).join(MASK);
    return out;
  };
}

/** A masked copy of a JSON-like value: every string masked before it is serialised (so `"` or `\` cannot escape). */
export function maskValue(value: unknown, mask: (t: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, mask));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, mask);
    return out;
  }
  return value;
}
