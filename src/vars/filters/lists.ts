import { getPath } from '../attr.js';
import { TemplateTypeError, isMapping, pyCompare, pyEquals, pyIter, pyStr, truthy, brief } from '../python.js';
import { type CallEnv, type FilterFn, type Kw, arg } from '../registry.js';
import { Undefined, strict } from '../undefined.js';

/** List and mapping filters. */

const ok = (env: CallEnv, v: unknown) => strict(v, env.state.where, env.state.chain);

function attrOf(x: unknown, attribute: unknown, kw: Kw): unknown {
  const v = getPath(x, attribute as string);
  if (v instanceof Undefined && Object.hasOwn(kw, 'default')) return kw.default;
  return v;
}

/** select/reject: `select('match', 're')`, `select('defined')`, `select()` (truthy). */
function selector(keep: boolean): FilterFn {
  return (v, a, kw, env) => {
    const [test, ...targs] = a;
    return pyIter(v).filter(
      (x) => (test === undefined ? truthy(ok(env, x)) : env.test(String(test), x, targs, kw)) === keep,
    );
  };
}

/** selectattr/rejectattr: `selectattr('x', 'equalto', 1)`, `selectattr('x')`. */
function attrSelector(keep: boolean): FilterFn {
  return (v, a, kw, env) => {
    const [attr, test, ...targs] = a;
    return pyIter(v).filter((x) => {
      const val = getPath(x, attr as string);
      return (test === undefined ? truthy(ok(env, val)) : env.test(String(test), val, targs, kw)) === keep;
    });
  };
}

function uniqueList(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of items) if (!out.some((y) => pyEquals(x, y))) out.push(x);
  return out;
}

function sortKey(x: unknown, caseSensitive: boolean): unknown {
  return !caseSensitive && typeof x === 'string' ? x.toLowerCase() : x;
}

function merge(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  recursive: boolean,
  listMerge: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    if (recursive && isMapping(cur) && isMapping(v)) out[k] = merge(cur, v, true, listMerge);
    else if (Array.isArray(cur) && Array.isArray(v) && listMerge !== 'replace') {
      if (listMerge === 'append') out[k] = [...cur, ...v];
      else if (listMerge === 'prepend') out[k] = [...v, ...cur];
      else if (listMerge === 'append_rp') out[k] = [...cur.filter((x) => !v.some((y) => pyEquals(x, y))), ...v];
      else if (listMerge === 'prepend_rp') out[k] = [...v, ...cur.filter((x) => !v.some((y) => pyEquals(x, y)))];
      else if (listMerge === 'keep') out[k] = cur;
      else throw new TemplateTypeError(`combine: unknown list_merge '${listMerge}'`);
    } else out[k] = v;
  }
  return out;
}

function mapping(v: unknown, name: string): Record<string, unknown> {
  if (!isMapping(v)) throw new TemplateTypeError(`${name} needs a mapping, got ${brief(v)}`);
  return v;
}

function flatten(items: unknown[], levels: number): unknown[] {
  const out: unknown[] = [];
  for (const x of items) {
    if (Array.isArray(x) && levels !== 0) out.push(...flatten(x, levels - 1));
    else if (x !== null) out.push(x);
  }
  return out;
}

export const listFilters: Record<string, FilterFn> = {
  join: (v, a, kw, env) => {
    const sep = pyStr(arg(a, kw, 0, 'd', ''));
    const attr = arg(a, kw, 1, 'attribute', undefined);
    const items = pyIter(v).map((x) => (attr === undefined ? x : getPath(x, attr as string)));
    return items.map((x) => pyStr(ok(env, x))).join(sep);
  },
  map: (v, a, kw, env) => {
    const items = pyIter(v);
    if (Object.hasOwn(kw, 'attribute')) return items.map((x) => attrOf(ok(env, x), kw.attribute, kw));
    const [name, ...fargs] = a;
    if (name === undefined) throw new TemplateTypeError("map needs a filter name or attribute='…'");
    return items.map((x) => env.filter(String(name), x, fargs, kw));
  },
  select: selector(true),
  reject: selector(false),
  selectattr: attrSelector(true),
  rejectattr: attrSelector(false),
  first: (v) => {
    const items = pyIter(v);
    return items.length ? items[0] : new Undefined('(first item)', [], 'the sequence is empty');
  },
  last: (v) => {
    const items = pyIter(v);
    return items.length ? items[items.length - 1] : new Undefined('(last item)', [], 'the sequence is empty');
  },
  unique: (v) => uniqueList(pyIter(v)),
  sort: (v, a, kw) => {
    const reverse = truthy(arg(a, kw, 0, 'reverse', false));
    const cs = truthy(arg(a, kw, 1, 'case_sensitive', false));
    const attr = arg(a, kw, 2, 'attribute', undefined);
    const items = [...pyIter(v)];
    const key = (x: unknown) => sortKey(attr === undefined ? x : getPath(x, attr as string), cs);
    items.sort((x, y) => pyCompare(key(x), key(y)) * (reverse ? -1 : 1));
    return items;
  },
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...pyIter(v)].reverse()),
  dict2items: (v, a, kw) => {
    const k = String(arg(a, kw, 0, 'key_name', 'key'));
    const val = String(arg(a, kw, 1, 'value_name', 'value'));
    return Object.entries(mapping(v, 'dict2items')).map(([x, y]) => ({
      [k]: x,
      [val]: y,
    }));
  },
  items2dict: (v, a, kw) => {
    const k = String(arg(a, kw, 0, 'key_name', 'key'));
    const val = String(arg(a, kw, 1, 'value_name', 'value'));
    const out: Record<string, unknown> = {};
    for (const it of pyIter(v)) {
      const m = mapping(it, 'items2dict');
      if (!Object.hasOwn(m, k) || !Object.hasOwn(m, val))
        throw new TemplateTypeError(`items2dict: item ${brief(m)} has no '${k}' or '${val}'`);
      out[pyStr(m[k])] = m[val];
    }
    return out;
  },
  items: (v) => Object.entries(mapping(v, 'items')),
  combine: (v, a, kw) => {
    const recursive = truthy(kw.recursive ?? false);
    const listMerge = String(kw.list_merge ?? 'replace');
    const dicts = [v, ...a].flatMap((d) => (Array.isArray(d) ? d : [d]));
    return dicts.reduce<Record<string, unknown>>(
      (acc, d) => merge(acc, mapping(d, 'combine'), recursive, listMerge),
      {},
    );
  },
  zip: (v, a) => {
    const lists = [pyIter(v), ...a.map((x) => pyIter(x))];
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
  },
  zip_longest: (v, a, kw) => {
    const lists = [pyIter(v), ...a.map((x) => pyIter(x))];
    const n = Math.max(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : (kw.fillvalue ?? null))));
  },
  flatten: (v, a, kw) => flatten(pyIter(v), Number(arg(a, kw, 0, 'levels', -1) ?? -1)),
  union: (v, a) => uniqueList([...pyIter(v), ...pyIter(a[0])]),
  intersect: (v, a) => uniqueList(pyIter(v).filter((x) => pyIter(a[0]).some((y) => pyEquals(x, y)))),
  difference: (v, a) => uniqueList(pyIter(v).filter((x) => !pyIter(a[0]).some((y) => pyEquals(x, y)))),
  symmetric_difference: (v, a) => {
    const l = pyIter(v);
    const r = pyIter(a[0]);
    return uniqueList([
      ...l.filter((x) => !r.some((y) => pyEquals(x, y))),
      ...r.filter((x) => !l.some((y) => pyEquals(x, y))),
    ]);
  },
};
