/** Quote one value for a POSIX shell: the result is always a single word, whatever the value holds. */
export function shellQuote(value: string | number): string {
  const s = String(value);
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Quote each argument and join them into a command line. */
export function shellJoin(argv: Array<string | number>): string {
  return argv.map(shellQuote).join(' ');
}
