/** A small line diff (LCS) in unified style — removed lines before added ones — good for config files. */
export function unifiedDiff(path: string, before: string, after: string): string[] {
  const a = lines(before);
  const b = lines(after);
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return [`--- ${path}`, `+++ ${path}`, `(file too large to diff: ${n} → ${m} lines)`];
  // dp[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  const at = (i: number, j: number) => (dp[i] as Uint32Array)[j] as number;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) (dp[i] as Uint32Array)[j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  const out = [`--- ${path} (before)`, `+++ ${path} (after)`];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(` ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
      out.push(`-${a[i]}`);
      i++;
    } else {
      out.push(`+${b[j]}`);
      j++;
    }
  }
  return out;
}

/** The file's lines; a final newline does not make an extra empty line. */
function lines(text: string): string[] {
  if (text === '') return [];
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}
