/** Replaces every occurrence of a secret with a fixed mask. Secrets shorter than 3 characters are ignored. */
export const MASK = '********';

export function makeMasker(secrets: readonly string[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= 3))].sort(
    (a, b) => b.length - a.length,
  );
  if (list.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const s of list) out = out.split(s).join(MASK);
    return out;
  };
}
