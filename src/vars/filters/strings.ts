import { createHash } from 'node:crypto';
import { shellQuote } from '../../connection/quote.js';
import { pySplit } from '../methods.js';
import { TemplateTypeError, pyStr, typeName, brief } from '../python.js';
import { expandReplacement, pyRegex, pySub, reFlags } from '../regex.js';
import { type FilterFn, arg } from '../registry.js';

/** String filters. */

function str(v: unknown, name: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return pyStr(v);
  throw new TemplateTypeError(`the '${name}' filter needs a string, got ${typeName(v)} ${brief(v)}`);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '';
  const head = p.slice(0, i + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

export const stringFilters: Record<string, FilterFn> = {
  lower: (v) => str(v, 'lower').toLowerCase(),
  upper: (v) => str(v, 'upper').toUpperCase(),
  capitalize: (v) => {
    const s = str(v, 'capitalize');
    return (s[0] ?? '').toUpperCase() + s.slice(1).toLowerCase();
  },
  title: (v) => str(v, 'title').replace(/[A-Za-z]+/g, (w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase()),
  trim: (v) => str(v, 'trim').trim(),
  replace: (v, a, kw) => {
    const s = str(v, 'replace');
    const old = pyStr(arg(a, kw, 0, 'old'));
    const neu = pyStr(arg(a, kw, 1, 'new'));
    const count = Number(arg(a, kw, 2, 'count', -1));
    const parts = s.split(old);
    if (count < 0 || parts.length - 1 <= count) return parts.join(neu);
    return parts.slice(0, count + 1).join(neu) + old + parts.slice(count + 1).join(old);
  },
  regex_replace: (v, a, kw) => {
    const re = pyRegex(pyStr(arg(a, kw, 0, 'pattern')), reFlags(kw, a[2], a[3]));
    return pySub(
      str(v, 'regex_replace'),
      re,
      pyStr(arg(a, kw, 1, 'replacement', '')),
      Number(arg(a, kw, 4, 'count', 0)),
    );
  },
  regex_search: (v, a, kw) => {
    const [pattern, ...groups] = a;
    const re = pyRegex(pyStr(pattern), reFlags(kw, undefined, undefined));
    const m = re.exec(str(v, 'regex_search'));
    if (!m) return null;
    if (!groups.length) return m[0];
    const g = m.groups as Record<string, string | undefined> | undefined;
    return groups.map((x) => expandReplacement(pyStr(x), m, g));
  },
  regex_findall: (v, a, kw) => {
    const re = pyRegex(pyStr(arg(a, kw, 0, 'pattern')), `${reFlags(kw, a[1], a[2])}g`);
    return [...str(v, 'regex_findall').matchAll(re)].map((m) =>
      m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : m.slice(1).map((x) => x ?? ''),
    );
  },
  regex_escape: (v) => str(v, 'regex_escape').replace(/[.*+?^${}()|[\]\\\-/]/g, '\\$&'),
  split: (v, a, kw) => pySplit(str(v, 'split'), arg(a, kw, 0, 'sep', null), arg(a, kw, 1, 'maxsplit', -1)),
  b64encode: (v) => Buffer.from(str(v, 'b64encode'), 'utf8').toString('base64'),
  b64decode: (v) => Buffer.from(str(v, 'b64decode'), 'base64').toString('utf8'),
  basename: (v) => basename(str(v, 'basename')),
  dirname: (v) => dirname(str(v, 'dirname')),
  quote: (v) => shellQuote(pyStr(v)),
  hash: (v, a, kw) => {
    const algo = pyStr(arg(a, kw, 0, 'hashtype', 'sha1'));
    if (!HASHES.has(algo)) throw new TemplateTypeError(`hash: unknown algorithm '${algo}' (${[...HASHES].join(', ')})`);
    return createHash(algo).update(str(v, 'hash'), 'utf8').digest('hex');
  },
  checksum: (v) => createHash('sha1').update(str(v, 'checksum'), 'utf8').digest('hex'),
  indent: (v, a, kw) => {
    const width = arg<unknown>(a, kw, 0, 'width', 4);
    const pad = typeof width === 'string' ? width : ' '.repeat(Number(width));
    const first = arg<unknown>(a, kw, 1, 'first', false) === true;
    const blank = arg<unknown>(a, kw, 2, 'blank', false) === true;
    const lines = str(v, 'indent').split('\n');
    return lines.map((l, i) => ((i === 0 && !first) || (!blank && l === '') ? l : pad + l)).join('\n');
  },
};
