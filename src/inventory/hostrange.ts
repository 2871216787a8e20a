/**
 * Host entries as Ansible writes them in inventories: `name`, `name:port`, ranges `node[1:5]`,
 * `node[01:10]` (zero-padded), `10.0.0.[11:13]`, `db-[a:c]`, with an optional step `[1:9:2]`;
 * several ranges multiply. IPv6 addresses (`fe80::1`, `[fe80::1]:2222`) are taken as they are.
 */

export type HostEntry =
  | { ok: true; hosts: string[]; port?: number }
  | { ok: false; message: string; hint: string; /** 0-based offset in the entry */ at: number };

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MAX_HOSTS = 100_000;

class RangeError_ extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly at: number,
  ) {
    super(message);
  }
}

export function parseHostEntry(entry: string): HostEntry {
  try {
    const v6 = /^\[([0-9a-fA-F.]*:[0-9a-fA-F.:]*:[0-9a-fA-F.:]*)\](?::(\d+))?$/.exec(entry);
    if (v6) return withPort([v6[1] as string], v6[2], entry.length);
    const colons = colonsOutsideBrackets(entry);
    if (colons.length >= 2) return { ok: true, hosts: [entry] }; // a bare IPv6 address
    let name = entry;
    let port: string | undefined;
    if (colons.length === 1) {
      const at = colons[0] as number;
      name = entry.slice(0, at);
      port = entry.slice(at + 1);
      if (port === '') {
        throw new RangeError_(
          `host "${entry}" ends in ":"`,
          'a ":" after a host name must be followed by its SSH port, e.g. node1:2222',
          at,
        );
      }
      if (!/^\d+$/.test(port)) {
        throw new RangeError_(`"${port}" in "${entry}" is not a port number`, 'write host:PORT with a numeric port', at + 1);
      }
    }
    if (name === '') throw new RangeError_(`host entry "${entry}" has no host name`, 'write a host name before the ":"', 0);
    return withPort(expandRanges(name, 0), port, colons[0] ?? 0);
  } catch (e) {
    if (e instanceof RangeError_) return { ok: false, message: e.message, hint: e.hint, at: e.at };
    throw e;
  }
}

function withPort(hosts: string[], port: string | undefined, at: number): HostEntry {
  if (port === undefined) return { ok: true, hosts };
  const n = Number(port);
  if (n < 1 || n > 65535) throw new RangeError_(`port ${port} is out of range`, 'an SSH port is 1-65535', at);
  return { ok: true, hosts, port: n };
}

function colonsOutsideBrackets(s: string): number[] {
  const out: number[] = [];
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) out.push(i);
  }
  return out;
}

/** Expand every `[a:b]` / `[a:b:step]` in `name` (`base` = offset of `name` in the entry, for errors). */
function expandRanges(name: string, base: number): string[] {
  const open = name.indexOf('[');
  const stray = name.indexOf(']');
  if (open < 0) {
    if (stray >= 0) throw new RangeError_(`"]" without "[" in host "${name}"`, 'a host range is written [start:end]', base + stray);
    return [name];
  }
  if (stray >= 0 && stray < open) {
    throw new RangeError_(`"]" without "[" in host "${name}"`, 'a host range is written [start:end]', base + stray);
  }
  const close = name.indexOf(']', open);
  if (close < 0) {
    throw new RangeError_(`unclosed "[" in host "${name}"`, 'close the host range, e.g. node[1:3]', base + open);
  }
  const head = name.slice(0, open);
  const spec = name.slice(open + 1, close);
  const seq = rangeValues(spec, base + open);
  const tails = expandRanges(name.slice(close + 1), base + close + 1);
  if (seq.length * tails.length > MAX_HOSTS) {
    throw new RangeError_(`host range "${name}" expands to more than ${MAX_HOSTS} hosts`, 'use smaller ranges', base + open);
  }
  const out: string[] = [];
  for (const v of seq) for (const t of tails) out.push(head + v + t);
  return out;
}

function rangeValues(spec: string, at: number): string[] {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3) {
    throw new RangeError_(
      `"[${spec}]" is not a host range`,
      'a host range is [start:end] or [start:end:step], e.g. node[1:5], node[01:10], db-[a:c]',
      at,
    );
  }
  const beg = parts[0] || '0';
  const end = parts[1] as string;
  const stepText = parts[2] ?? '1';
  if (end === '') throw new RangeError_(`host range "[${spec}]" has no end`, 'write [start:end], e.g. [1:5]', at);
  if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
    throw new RangeError_(`host range step "${stepText}" must be a positive whole number`, 'e.g. node[1:9:2]', at);
  }
  const step = Number(stepText);
  if (/^[A-Za-z]$/.test(beg) && /^[A-Za-z]$/.test(end)) {
    const b = LETTERS.indexOf(beg);
    const e = LETTERS.indexOf(end);
    if (b > e) throw new RangeError_(`host range "[${spec}]" runs backwards`, `write [${end}:${beg}]`, at);
    const out: string[] = [];
    for (let i = b; i <= e; i += step) out.push(LETTERS[i] as string);
    return out;
  }
  if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) {
    throw new RangeError_(
      `host range "[${spec}]" mixes letters and numbers or has a bad bound`,
      'both ends must be numbers ([1:5], [01:10]) or single letters ([a:c])',
      at,
    );
  }
  const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
  if (width && end.length !== width) {
    throw new RangeError_(
      `zero-padded host range "[${spec}]" has ends of different widths`,
      `pad both ends to the same width, e.g. [${beg.padStart(end.length, '0')}:${end.padStart(beg.length, '0')}]`,
      at,
    );
  }
  const b = Number(beg);
  const e = Number(end);
  if (b > e) throw new RangeError_(`host range "[${spec}]" runs backwards`, `write [${end}:${beg}]`, at);
  if ((e - b) / step + 1 > MAX_HOSTS) {
    throw new RangeError_(`host range "[${spec}]" expands to more than ${MAX_HOSTS} hosts`, 'use a smaller range', at);
  }
  const out: string[] = [];
  for (let i = b; i <= e; i += step) out.push(width ? String(i).padStart(width, '0') : String(i));
  return out;
}
