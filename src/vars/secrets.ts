/** Replace every occurrence of each secret in text with `********` (longest secrets first). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const list = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  let out = text;
  for (const s of list) out = out.split(s).join('********');
  return out;
}
