/** `-t a,b -t c` → ['a', 'b', 'c'] */
export function splitCsv(items: string[]): string[] {
  return items.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}
