import { createHash, randomInt } from 'node:crypto';
import { TemplateTypeError, isMapping, pyCompare, pyIter, pyRepr, pyStr, truthy, typeName } from '../python.js';
import { type FilterFn, arg } from '../registry.js';

/** random, comment, urlsplit, type_debug, product, format, dictsort — as Ansible / Jinja2 define them. */

/** A number in [0, 1) from the seed (sha256): the same seed gives the same value on every run. */
function seeded(seed: unknown, n: number): number {
  const h = createHash('sha256').update(`${pyStr(seed)}:${n}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

const random: FilterFn = (v, a, kw) => {
  const seed = kw.seed;
  const pick = (n: number) => (seed === undefined || seed === null ? randomInt(n) : Math.floor(seeded(seed, n) * n));
  if (typeof v === 'number') {
    const start = Number(arg(a, kw, 0, 'start', 0));
    const step = Number(arg(a, kw, 1, 'step', 1));
    const count = Math.ceil((v - start) / step);
    if (!Number.isInteger(v) || count <= 0) throw new TemplateTypeError(`random: empty range for ${v}`);
    return start + pick(count) * step;
  }
  const items = pyIter(v, 'random');
  if (!items.length) throw new TemplateTypeError('random: the sequence is empty');
  return items[pick(items.length)];
};

const COMMENT_STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** Ansible's comment filter: the text decorated as a comment block (style plain, c, cblock, erlang, xml). */
const comment: FilterFn = (v, a, kw) => {
  const style = String(arg(a, kw, 0, 'style', 'plain'));
  const sp = COMMENT_STYLES[style];
  if (!sp) throw new TemplateTypeError(`comment: unknown style '${style}' (plain, erlang, c, cblock, xml)`);
  const deco = String(kw.decoration ?? sp.decoration);
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: deco.trimEnd(),
    prefix_count: 1,
    decoration: '',
    postfix: deco.trimEnd(),
    postfix_count: 1,
    end: '',
    ...sp,
    ...kw,
  };
  const nl = String(p.newline);
  const d = String(p.decoration);
  const beginning = p.beginning ? `${String(p.beginning)}${nl}` : '';
  const prefix = p.prefix ? (p.prefix !== nl ? `${String(p.prefix)}${nl}` : nl).repeat(Number(p.prefix_count)) : '';
  const text = `${d}${pyStr(v).split(nl).join(`${nl}${d}`)}`.split(`${d}${nl}`).join(`${d.trimEnd()}${nl}`);
  const postfix = ['', ...Array<string>(Number(p.postfix_count)).fill(String(p.postfix))].join(nl);
  const end = p.end ? `${nl}${String(p.end)}` : '';
  return `${beginning}${prefix}${text}${postfix}${end}`;
};

const URL = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

/** Python's urllib.parse.urlsplit, as Ansible's urlsplit filter: all parts, or one (`urlsplit('hostname')`). */
const urlsplit: FilterFn = (v, a, kw) => {
  const m = URL.exec(pyStr(v)) ?? [];
  const netloc = m[2] ?? '';
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined;
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const host = hp?.[1]?.replace(/^\[|\]$/g, '').toLowerCase() ?? '';
  const parts: Record<string, unknown> = {
    scheme: (m[1] ?? '').toLowerCase(),
    netloc,
    path: m[3] ?? '',
    query: m[4] ?? '',
    fragment: m[5] ?? '',
    username: userinfo === undefined ? null : (userinfo.split(':')[0] ?? ''),
    password: userinfo?.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : null,
    hostname: host === '' ? null : host,
    port: hp?.[2] ? Number(hp[2]) : null,
  };
  const q = arg(a, kw, 0, 'query', '');
  if (q === '' || q === null) return parts;
  if (!Object.hasOwn(parts, String(q)))
    throw new TemplateTypeError(`urlsplit: unknown URL component '${String(q)}' (${Object.keys(parts).join(', ')})`);
  return parts[String(q)];
};

/** itertools.product: `[1, 2] | product(['a', 'b'])` → [[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b']]. */
const product: FilterFn = (v, a, kw) => {
  const repeat = Number(kw.repeat ?? 1);
  const lists = [v, ...a].map((x) => pyIter(x, 'product'));
  const all = Array.from({ length: repeat }, () => lists).flat();
  let out: unknown[][] = [[]];
  for (const l of all) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
  return out;
};

/** Python's `%` formatting, as Jinja's format filter: `'%s:%d' | format(host, port)`, `%(name)s` with keywords. */
const format: FilterFn = (v, a, kw) => {
  let i = 0;
  const named = Object.keys(kw).length > 0;
  return pyStr(v).replace(/%(?:\(([^)]*)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifFeExXorc%])/g, (_m, name, flags, width, prec, type) => {
    if (type === '%') return '%';
    let x: unknown;
    if (name !== undefined) {
      if (!named || !Object.hasOwn(kw, name)) throw new TemplateTypeError(`format: no argument named '${name}'`);
      x = kw[name];
    } else {
      if (i >= a.length) throw new TemplateTypeError('format: not enough arguments for format string');
      x = a[i++];
    }
    let s: string;
    const num = () => {
      const n = typeof x === 'boolean' ? Number(x) : x;
      if (typeof n !== 'number') throw new TemplateTypeError(`format: %${type} needs a number, not ${typeName(x)}`);
      return n;
    };
    switch (type) {
      case 's':
        s = pyStr(x);
        if (prec !== undefined) s = s.slice(0, Number(prec));
        break;
      case 'r':
        s = pyRepr(x);
        break;
      case 'c':
        s = typeof x === 'number' ? String.fromCodePoint(x) : pyStr(x);
        break;
      case 'd':
      case 'i':
        s = String(Math.trunc(num()));
        break;
      case 'f':
      case 'F':
        s = num().toFixed(prec === undefined ? 6 : Number(prec));
        break;
      case 'e':
      case 'E':
        s = num().toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2');
        if (type === 'E') s = s.toUpperCase();
        break;
      case 'o':
        s = Math.trunc(num()).toString(8);
        break;
      default:
        s = Math.trunc(num()).toString(16);
        if (type === 'X') s = s.toUpperCase();
    }
    const f = String(flags ?? '');
    if (f.includes('+') && type !== 's' && !s.startsWith('-')) s = `+${s}`;
    const w = Number(width ?? 0);
    if (s.length < w) s = f.includes('-') ? s.padEnd(w) : f.includes('0') && type !== 's' ? s.padStart(w, '0') : s.padStart(w);
    return s;
  });
};

/** Jinja's dictsort: the (key, value) pairs sorted by key (or `by='value'`), case-insensitive by default. */
const dictsort: FilterFn = (v, a, kw) => {
  if (!isMapping(v)) throw new TemplateTypeError(`dictsort needs a dict, got ${typeName(v)}`);
  const cs = truthy(arg(a, kw, 0, 'case_sensitive', false));
  const by = String(arg(a, kw, 1, 'by', 'key'));
  const reverse = truthy(arg(a, kw, 2, 'reverse', false));
  if (by !== 'key' && by !== 'value') throw new TemplateTypeError("dictsort: 'by' must be 'key' or 'value'");
  const key = (x: unknown) => (typeof x === 'string' && !cs ? x.toLowerCase() : x);
  const pairs = Object.entries(v);
  pairs.sort((x, y) => pyCompare(key(by === 'key' ? x[0] : x[1]), key(by === 'key' ? y[0] : y[1])) * (reverse ? -1 : 1));
  return pairs;
};

export const extraFilters: Record<string, FilterFn> = {
  random,
  comment,
  urlsplit,
  type_debug: (v) => typeName(v),
  product,
  format,
  dictsort,
};
