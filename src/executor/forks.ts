/**
 * Runs `fn` over `items` with at most `limit` running at once. Results come back in the items' order
 * (inventory order), whatever order they finish in. `fn` must not throw for an ordinary failure; a throw
 * is a bug and rejects the whole call after the running ones settle.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const n = items.length;
  const results = new Array<R>(n);
  const width = Math.max(1, Math.min(limit, n));
  let next = 0;
  let firstError: { e: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < n && !firstError) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (e) {
        firstError ??= { e };
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let w = 0; w < width; w++) workers.push(worker());
  await Promise.all(workers);
  if (firstError) throw firstError.e;
  return results;
}
