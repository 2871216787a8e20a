import { TemplateTypeError, isMapping, pyEquals, pyIter, pyStr, brief } from './python.js';
import { type Kw, arg } from './registry.js';
import type { CallEnv } from './registry.js';

/** Python methods people call in templates: `x.split(',')`, `x.startswith('a')`, `d.items()`, … */
export type MethodFn = (self: unknown, args: unknown[], kw: Kw, env: CallEnv) => unknown;

/** Python's str.split: no separator splits on runs of whitespace and drops empty strings. */
export function pySplit(s: string, sep: unknown = null, maxsplit: unknown = -1): string[] {
  const max = typeof maxsplit === 'number' ? maxsplit : -1;
  if (sep === null || sep === undefined) {
    const parts: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length) {
      if (max >= 0 && parts.length === max) {
        parts.push(rest.replace(/\s+$/, ''));
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  }
  const sp = String(sep);
  if (sp === '') throw new TemplateTypeError('empty separator');
  const all = s.split(sp);
  if (max < 0 || all.length <= max + 1) return all;
  return [...all.slice(0, max), all.slice(max).join(sp)];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === null || chars === undefined) {
    let r = s;
    if (left) r = r.replace(/^\s+/, '');
    if (right) r = r.replace(/\s+$/, '');
    return r;
  }
  const set = new Set([...String(chars)]);
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.has(s[a] as string)) a++;
  if (right) while (b > a && set.has(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

function prefixes(p: unknown): string[] {
  return Array.isArray(p) ? p.map((x) => String(x)) : [String(p)];
}

/** `'{} and {name}'.format(a, name=b)` */
function pyStrFormat(fmt: string, args: unknown[], kw: Kw): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, key: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const k = key ?? '';
    if (k === '') return pyStr(args[auto++]);
    if (/^\d+$/.test(k)) return pyStr(args[Number(k)]);
    if (!Object.hasOwn(kw, k)) throw new TemplateTypeError(`format: no argument named '${k}'`);
    return pyStr(kw[k]);
  });
}

const str: Record<string, (s: string, a: unknown[], kw: Kw) => unknown> = {
  split: (s, a, kw) => pySplit(s, arg(a, kw, 0, 'sep', null), arg(a, kw, 1, 'maxsplit', -1)),
  rsplit: (s, a, kw) => {
    const max = arg<number>(a, kw, 1, 'maxsplit', -1);
    const sep = arg(a, kw, 0, 'sep', null);
    if (max < 0 || sep === null) return pySplit(s, sep, max);
    const all = s.split(String(sep));
    return all.length <= max + 1
      ? all
      : [all.slice(0, all.length - max).join(String(sep)), ...all.slice(all.length - max)];
  },
  splitlines: (s) => s.split(/\r?\n/).filter((x, i, arr) => i < arr.length - 1 || x !== ''),
  strip: (s, a) => stripChars(s, a[0], true, true),
  lstrip: (s, a) => stripChars(s, a[0], true, false),
  rstrip: (s, a) => stripChars(s, a[0], false, true),
  startswith: (s, a) => prefixes(a[0]).some((p) => s.startsWith(p)),
  endswith: (s, a) => prefixes(a[0]).some((p) => s.endsWith(p)),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  title: (s) => s.replace(/[A-Za-z]+/g, (w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase()),
  capitalize: (s) => (s[0] ?? '').toUpperCase() + s.slice(1).toLowerCase(),
  replace: (s, a) => {
    const count = typeof a[2] === 'number' ? a[2] : -1;
    const parts = s.split(String(a[0]));
    if (count < 0 || parts.length - 1 <= count) return parts.join(String(a[1]));
    return parts.slice(0, count + 1).join(String(a[1])) + String(a[0]) + parts.slice(count + 1).join(String(a[0]));
  },
  find: (s, a) => s.indexOf(String(a[0])),
  count: (s, a) => (String(a[0]) === '' ? s.length + 1 : s.split(String(a[0])).length - 1),
  join: (s, a) => pyIter(a[0]).map(pyStr).join(s),
  format: (s, a, kw) => pyStrFormat(s, a, kw),
  isdigit: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  zfill: (s, a) => s.padStart(Number(a[0]), '0'),
};

const list: Record<string, (l: unknown[], a: unknown[], kw: Kw) => unknown> = {
  index: (l, a) => {
    const i = l.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw new TemplateTypeError(`${brief(a[0])} is not in list`);
    return i;
  },
  count: (l, a) => l.filter((x) => pyEquals(x, a[0])).length,
  append: (l, a) => {
    l.push(a[0]);
    return null;
  },
  extend: (l, a) => {
    l.push(...pyIter(a[0]));
    return null;
  },
  insert: (l, a) => {
    const i = Number(a[0]);
    l.splice(i < 0 ? Math.max(0, l.length + i) : i, 0, a[1]);
    return null;
  },
  pop: (l, a) => {
    if (!l.length) throw new TemplateTypeError('pop from empty list');
    const i = a.length ? Number(a[0]) : -1;
    const at = i < 0 ? l.length + i : i;
    if (at < 0 || at >= l.length) throw new TemplateTypeError('pop index out of range');
    return l.splice(at, 1)[0];
  },
  remove: (l, a) => {
    const i = l.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw new TemplateTypeError(`list.remove(x): ${brief(a[0])} is not in list`);
    l.splice(i, 1);
    return null;
  },
};

/** Python's dict.update: a mapping or a list of pairs, then keyword arguments; returns None. */
function dictUpdate(d: Record<string, unknown>, a: unknown[], kw: Kw): null {
  const other = a[0];
  if (isMapping(other)) Object.assign(d, other);
  else if (other !== undefined && other !== null)
    for (const p of pyIter(other)) {
      if (!Array.isArray(p) || p.length !== 2) throw new TemplateTypeError('dict.update() needs a mapping or pairs');
      d[pyStr(p[0])] = p[1];
    }
  Object.assign(d, kw);
  return null;
}

const dict: Record<string, (d: Record<string, unknown>, a: unknown[], kw: Kw) => unknown> = {
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  items: (d) => Object.entries(d),
  get: (d, a) => (Object.hasOwn(d, String(a[0])) && d[String(a[0])] !== undefined ? d[String(a[0])] : (a[1] ?? null)),
  copy: (d) => ({ ...d }),
  // Mutations, as Jinja2 allows them (`{% set _ = d.update({...}) %}`): they change the dict in place.
  update: dictUpdate,
  setdefault: (d, a) => {
    const k = pyStr(a[0]);
    if (!Object.hasOwn(d, k)) d[k] = a[1] ?? null;
    return d[k];
  },
  pop: (d, a) => {
    const k = pyStr(a[0]);
    if (Object.hasOwn(d, k)) {
      const v = d[k];
      delete d[k];
      return v;
    }
    if (a.length > 1) return a[1];
    throw new TemplateTypeError(`KeyError: '${k}'`);
  },
};

function wrap<T>(t: Record<string, (x: T, a: unknown[], kw: Kw) => unknown>, check: (x: unknown) => boolean) {
  const out: Record<string, MethodFn> = {};
  for (const [k, f] of Object.entries(t))
    out[k] = ((self: unknown, a: unknown[], kw: Kw) => {
      if (!check(self)) throw new TemplateTypeError(`method ${k} called on the wrong type`);
      return f(self as T, a, kw);
    }) as MethodFn;
  return out;
}

/** Methods by Python type name (python.ts typeName). */
export const METHODS: Record<string, Record<string, MethodFn>> = {
  str: wrap(str, (x) => typeof x === 'string'),
  list: wrap(list, Array.isArray),
  dict: wrap(dict, isMapping),
};
