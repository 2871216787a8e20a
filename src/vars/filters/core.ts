import { LifeboatError } from '../../errors.js';
import { getPath } from '../attr.js';
import { TemplateTypeError, isMapping, pyCompare, pyIter, pyLen, pyStr, truthy, typeName, brief } from '../python.js';
import { type FilterFn, arg } from '../registry.js';
import { Undefined, isUndefined, whereOpts } from '../undefined.js';

/** Defaults, conversions and numbers. */

const TRUE_STRINGS = new Set(['yes', 'on', '1', 'true', 'y', 't']);

/** Ansible's `bool` filter: yes/on/1/true (any case) are true, everything else false. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return v === 1;
  return TRUE_STRINGS.has(String(v).trim().toLowerCase());
}

function toInt(v: unknown, dflt: unknown, base: number): unknown {
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    const re =
      base === 16
        ? /^[-+]?(0x)?[0-9a-f]+$/i
        : base === 8
          ? /^[-+]?(0o)?[0-7]+$/i
          : base === 2
            ? /^[-+]?(0b)?[01]+$/i
            : /^[-+]?\d+$/;
    if (re.test(s)) return Number.parseInt(s.replace(/^([-+]?)0[xob]/i, '$1'), base);
    if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Math.trunc(Number(s));
  }
  return dflt;
}

function toFloat(v: unknown, dflt: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return Number(v);
  if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) return Number(v);
  return dflt;
}

function numbers(v: unknown, attribute: unknown): unknown[] {
  const items = pyIter(v);
  return attribute === undefined || attribute === null ? items : items.map((x) => getPath(x, attribute as string));
}

function extreme(sign: 1 | -1): FilterFn {
  return (v, a, kw) => {
    const items = pyIter(v);
    const keyed = numbers(v, kw.attribute);
    if (!items.length)
      return new Undefined('(empty sequence)', [], `${sign > 0 ? 'max' : 'min'}() of an empty sequence`);
    let best = 0;
    for (let i = 1; i < items.length; i++) if (pyCompare(keyed[i], keyed[best]) * sign > 0) best = i;
    void a;
    return items[best];
  };
}

export const coreFilters: Record<string, FilterFn> = {
  default: (v, a, kw) => {
    const dflt = arg(a, kw, 0, 'default_value', '');
    const boolean = truthy(arg(a, kw, 1, 'boolean', false));
    if (isUndefined(v) || (boolean && !truthy(v))) return dflt;
    return v;
  },
  mandatory: (v, a, kw, env) => {
    if (!isUndefined(v)) return v;
    const msg = arg<string | undefined>(a, kw, 0, 'msg', undefined);
    throw new LifeboatError(
      'E_UNDEFINED',
      msg ?? `mandatory variable '${v.name}' is not defined`,
      whereOpts(env.state.where, `set '${v.name}' in the inventory, the play vars or with -e ${v.name}=…`),
    );
  },
  ternary: (v, a, kw) => {
    const none = arg(a, kw, 2, 'none_val', null);
    if (v === null && none !== null) return none;
    return truthy(v) ? arg(a, kw, 0, 'true_val') : arg(a, kw, 1, 'false_val');
  },
  bool: (v) => toBool(v),
  int: (v, a, kw) => toInt(v, arg(a, kw, 0, 'default', 0), Number(arg(a, kw, 1, 'base', 10))),
  float: (v, a, kw) => toFloat(v, arg(a, kw, 0, 'default', 0)),
  string: (v) => pyStr(v),
  list: (v) => [...pyIter(v)],
  length: (v) => pyLen(v),
  count: (v) => pyLen(v),
  abs: (v) => {
    if (typeof v !== 'number') throw new TemplateTypeError(`abs() needs a number, got ${typeName(v)}`);
    return Math.abs(v);
  },
  round: (v, a, kw) => {
    const p = Number(arg(a, kw, 0, 'precision', 0));
    const method = String(arg(a, kw, 1, 'method', 'common'));
    const f = 10 ** p;
    const n = Number(v) * f;
    const r =
      method === 'ceil' ? Math.ceil(n) : method === 'floor' ? Math.floor(n) : Math.sign(n) * Math.round(Math.abs(n));
    return r / f;
  },
  min: extreme(-1),
  max: extreme(1),
  sum: (v, a, kw) => {
    let total: unknown = arg(a, kw, 1, 'start', 0);
    for (const x of numbers(v, arg(a, kw, 0, 'attribute', undefined))) {
      if (typeof x !== 'number' && typeof x !== 'boolean')
        throw new TemplateTypeError(`sum() needs numbers, got ${typeName(x)} ${brief(x)}`);
      total = Number(total) + Number(x);
    }
    return total;
  },
  dict: (v) => {
    if (isMapping(v)) return { ...v };
    const out: Record<string, unknown> = {};
    for (const p of pyIter(v)) {
      if (!Array.isArray(p) || p.length !== 2) throw new TemplateTypeError('dict needs a list of [key, value] pairs');
      out[pyStr(p[0])] = p[1];
    }
    return out;
  },
};
