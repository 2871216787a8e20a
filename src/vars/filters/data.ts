import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { TemplateTypeError, brief, isMapping, typeName } from '../python.js';
import { type CallEnv, type FilterFn, arg } from '../registry.js';
import { strictDeep } from '../undefined.js';

/** JSON, YAML. */

/** A JSON string literal; with ascii (Python's ensure_ascii, the default) non-ASCII is written as \uXXXX. */
function jsonString(s: string, ascii: boolean): string {
  const j = JSON.stringify(s);
  return ascii ? j.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : j;
}

/** Python's json.dumps: `, ` and `: ` separators, or indented with `,` and `: `. */
export function pyJson(v: unknown, indent?: number, sortKeys = false, depth = 0, ascii = true): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    return JSON.stringify(v);
  }
  if (typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'string') return jsonString(v, ascii);
  const nl = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
  const end = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[${nl}${v.map((x) => pyJson(x, indent, sortKeys, depth + 1, ascii)).join(sep + nl)}${end}]`;
  }
  if (isMapping(v)) {
    const keys = Object.keys(v);
    if (sortKeys) keys.sort();
    if (!keys.length) return '{}';
    const body = keys.map((k) => `${jsonString(k, ascii)}: ${pyJson(v[k], indent, sortKeys, depth + 1, ascii)}`);
    return `{${nl}${body.join(sep + nl)}${end}}`;
  }
  throw new TemplateTypeError(`cannot serialise ${typeName(v)}`);
}

function deep(env: CallEnv, v: unknown): unknown {
  return strictDeep(v, env.state.where, env.state.chain);
}

function text(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new TemplateTypeError(`${name} needs a string, got ${typeName(v)} ${brief(v)}`);
  return v;
}

export const dataFilters: Record<string, FilterFn> = {
  to_json: (v, a, kw, env) => {
    const indent = arg<number | undefined>(a, kw, 0, 'indent', undefined);
    return pyJson(deep(env, v), indent ?? undefined, kw.sort_keys === true, 0, kw.ensure_ascii !== false);
  },
  to_nice_json: (v, a, kw, env) =>
    pyJson(deep(env, v), Number(arg(a, kw, 0, 'indent', 4)), kw.sort_keys !== false, 0, kw.ensure_ascii !== false),
  from_json: (v) => {
    try {
      return JSON.parse(text(v, 'from_json'));
    } catch (e) {
      throw new TemplateTypeError(`from_json: not valid JSON (${(e as Error).message})`);
    }
  },
  to_yaml: (v, a, kw, env) => stringifyYaml(deep(env, v), { indent: Number(arg(a, kw, 0, 'indent', 2)) }),
  to_nice_yaml: (v, a, kw, env) =>
    stringifyYaml(deep(env, v), {
      indent: Number(arg(a, kw, 0, 'indent', 4)),
      sortMapEntries: kw.sort_keys !== false,
    }),
  from_yaml: (v) => {
    try {
      return parseYaml(text(v, 'from_yaml'));
    } catch (e) {
      throw new TemplateTypeError(`from_yaml: not valid YAML (${(e as Error).message})`);
    }
  },
};
