import { TemplateTypeError } from '../python.js';
import type { FilterFn, TestFn } from '../registry.js';

/**
 * ansible.utils' IP filters and tests, the common forms: `ipaddr`, `ipaddr('address' | 'host' | 'net' |
 * 'network' | 'netmask' | 'prefix' | 'subnet' | 'broadcast' | 'size' | N)`, `ipv4`/`ipv6` (the same, for one
 * version), `ipwrap` (IPv6 in brackets) and the tests `ip`, `ipv4`, `ipv6`, `ip_address`, `ipv4_address`,
 * `ipv6_address`. A value that is not an address gives false, as there.
 */

interface Net {
  version: 4 | 6;
  ip: bigint;
  prefix: number;
  /** Written with a /prefix. */
  cidr: boolean;
}

const bits = (n: Net) => (n.version === 4 ? 32 : 128);
const mask = (n: Net) => ((1n << BigInt(bits(n))) - 1n) ^ ((1n << BigInt(bits(n) - n.prefix)) - 1n);
const network = (n: Net) => n.ip & mask(n);
const size = (n: Net) => 1n << BigInt(bits(n) - n.prefix);

function parse4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n);
}

function parse6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return undefined;
  let tail4: bigint | undefined;
  let text = s;
  const last = s.lastIndexOf(':');
  if (s.slice(last + 1).includes('.')) {
    tail4 = parse4(s.slice(last + 1));
    if (tail4 === undefined) return undefined;
    text = `${s.slice(0, last + 1)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (x: string) => (x === '' ? [] : x.split(':'));
  const h = groups(head);
  const t = rest === undefined ? [] : groups(rest);
  const fill = 8 - h.length - t.length;
  if (rest === undefined ? fill !== 0 : fill < 1) return undefined;
  const all = [...h, ...Array<string>(fill).fill('0'), ...t];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let v = all.reduce((a, g) => (a << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
  if (tail4 !== undefined) v = (v & ~0xffffffffn) | tail4;
  return v;
}

export function parseNet(value: unknown): Net | undefined {
  if (typeof value !== 'string') return undefined;
  const [addr = '', pre, extra] = value.trim().split('/');
  if (extra !== undefined) return undefined;
  const v4 = parse4(addr);
  const version = v4 !== undefined ? 4 : 6;
  const ip = v4 ?? parse6(addr);
  if (ip === undefined) return undefined;
  const max = version === 4 ? 32 : 128;
  if (pre === undefined) return { version, ip, prefix: max, cidr: false };
  let prefix: number | undefined = /^\d{1,3}$/.test(pre) ? Number(pre) : undefined;
  // a dotted netmask: 10.0.0.0/255.255.255.0
  if (prefix === undefined && version === 4) {
    const m = parse4(pre);
    if (m !== undefined) {
      const s = m.toString(2).padStart(32, '0');
      if (/^1*0*$/.test(s)) prefix = s.indexOf('0') < 0 ? 32 : s.indexOf('0');
    }
  }
  if (prefix === undefined || prefix > max) return undefined;
  return { version, ip, prefix, cidr: true };
}

function ipText(version: 4 | 6, v: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const g = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
  // the longest run of two or more zero groups becomes `::` (as Python's ipaddress and netaddr)
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > len && j - i > 1) [best, len] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + len).join(':')}`;
}

const isNetwork = (n: Net) => size(n) > 1n;

/** One query on one value, as ansible.utils' ipaddr; false when it does not apply. */
function query(value: string, n: Net, q: unknown, wrap: boolean): unknown {
  const addr = ipText(n.version, n.ip);
  const w = (s: string) => (wrap && n.version === 6 ? `[${s}]` : s);
  if (q === undefined || q === null || q === '') return wrap && n.version === 6 ? (n.cidr ? `[${addr}]/${n.prefix}` : `[${addr}]`) : value;
  if (typeof q === 'number' || (typeof q === 'string' && /^-?\d+$/.test(q))) {
    const i = BigInt(Number(q));
    const sz = size(n);
    if (!isNetwork(n)) return false;
    const at = i < 0n ? sz + i : i;
    if (at < 0n || at >= sz) return false;
    return `${ipText(n.version, network(n) + at)}/${n.prefix}`;
  }
  switch (String(q)) {
    case 'address':
      return !isNetwork(n) || n.ip !== network(n) ? w(addr) : false;
    case 'host':
      return !isNetwork(n) ? `${addr}/${n.prefix}` : n.ip !== network(n) ? `${addr}/${n.prefix}` : false;
    case 'net':
      return isNetwork(n) && n.ip === network(n) ? `${addr}/${n.prefix}` : false;
    case 'network':
      return ipText(n.version, network(n));
    case 'subnet':
    case 'cidr':
      return `${ipText(n.version, network(n))}/${n.prefix}`;
    case 'netmask':
      return ipText(n.version, mask(n));
    case 'prefix':
      return n.prefix;
    case 'broadcast':
      return isNetwork(n) && n.version === 4 ? ipText(4, network(n) + size(n) - 1n) : false;
    case 'size':
      return Number(size(n));
    case 'version':
      return n.version;
    case 'ipv4':
    case 'ipv6':
      return String(q) === `ipv${n.version}` ? value : false;
    case 'private':
      return n.version === 4 && /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/.test(addr) ? value : false;
    case 'public':
      return n.version === 4 && !/^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|127\.)/.test(addr) ? value : false;
    default:
      throw new TemplateTypeError(
        `ipaddr: unknown query '${String(q)}' (Lifeboat knows address, host, net, network, subnet, netmask, prefix, broadcast, size, version, ipv4, ipv6, private, public, or an index)`,
      );
  }
}

function ipFilter(version: 4 | 6 | undefined, wrap: boolean): FilterFn {
  const one = (v: unknown, q: unknown): unknown => {
    const n = parseNet(typeof v === 'number' ? undefined : v);
    if (!n || (version && n.version !== version)) return wrap ? v : false;
    const r = query(String(v).trim(), n, q, wrap);
    return wrap && r === false ? v : r;
  };
  return (v, a) => {
    if (Array.isArray(v)) {
      const out = v.map((x) => one(x, a[0]));
      return wrap ? out : out.filter((x) => x !== false);
    }
    return one(v, a[0]);
  };
}

export const netFilters: Record<string, FilterFn> = {
  ipaddr: ipFilter(undefined, false),
  ipv4: ipFilter(4, false),
  ipv6: ipFilter(6, false),
  ipwrap: ipFilter(undefined, true),
};

const is = (pred: (n: Net) => boolean): TestFn => (v) => {
  const n = parseNet(v);
  return n !== undefined && pred(n);
};

export const netTests: Record<string, TestFn> = {
  ip: is(() => true),
  ipv4: is((n) => n.version === 4),
  ipv6: is((n) => n.version === 6),
  ip_address: is((n) => !n.cidr),
  ipv4_address: is((n) => n.version === 4 && !n.cidr),
  ipv6_address: is((n) => n.version === 6 && !n.cidr),
};
