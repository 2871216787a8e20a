import { TemplateTypeError, isMapping, pyCompare, pyEquals, pyStr } from '../python.js';
import type { FilterFn } from '../registry.js';

/**
 * json_query (community.general): a JMESPath subset, written here (no JMESPath library is available). Known:
 * fields (`a.b`, `"quoted key"`), indexes (`[0]`, `[-1]`), projections (`[*]`, `*`, `[]` flatten) and filters
 * (`[?state=='running']`, with `==` `!=` `<` `<=` `>` `>=` `&&` `||` `!` and parentheses), the current node
 * `@`, literals (`'raw'`, `` `json` ``), multiselect lists `[a, b]` and hashes `{n: a, m: b}`, pipes `|`,
 * and the functions length, contains, keys, values, join, starts_with, ends_with, to_string, to_number,
 * not_null, sort, reverse, type. Anything else is a clear error, not a wrong answer.
 */

type Tok = { t: string; v?: unknown; at: number };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const err = (m: string): never => {
    throw new TemplateTypeError(`json_query: ${m} at ${i} in ${JSON.stringify(src)}`);
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||', '[?', '[]'].includes(two)) {
      out.push({ t: two, at: i });
      i += 2;
    } else if ('.*@[](){},:|<>!'.includes(c)) {
      out.push({ t: c, at: i });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))?.[0] ?? '';
      out.push({ t: 'id', v: m, at: i });
      i += m.length;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+/.exec(src.slice(i))?.[0] ?? err('bad number');
      out.push({ t: 'num', v: Number(m), at: i });
      i += m.length;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j];
        j++;
      }
      if (j >= src.length) err(`unclosed ${c}`);
      if (c === '"') out.push({ t: 'id', v: s, at: i });
      else if (c === "'") out.push({ t: 'lit', v: s, at: i });
      else {
        try {
          out.push({ t: 'lit', v: JSON.parse(s), at: i });
        } catch {
          out.push({ t: 'lit', v: s, at: i });
        }
      }
      i = j + 1;
    } else err(`unexpected ${JSON.stringify(c)}`);
  }
  return out;
}

/** An expression: data → value. `undefined` never escapes: JMESPath's null is null. */
type Ev = (d: unknown) => unknown;
type Step = { kind: 'map'; f: Ev } | { kind: 'project'; f: (d: unknown) => unknown[] | null };

const field = (name: string): Ev => (d) => (isMapping(d) && Object.hasOwn(d, name) ? d[name] : null);
const truthy = (v: unknown) =>
  !(v === null || v === false || v === '' || (Array.isArray(v) && !v.length) || (isMapping(v) && !Object.keys(v).length));

function chainOf(first: Ev, steps: Step[]): Ev {
  const run = (d: unknown, from: number): unknown => {
    let cur = d;
    for (let i = from; i < steps.length; i++) {
      const s = steps[i] as Step;
      if (s.kind === 'map') cur = s.f(cur);
      else {
        const items = s.f(cur);
        if (items === null) return null;
        return items.map((x) => run(x, i + 1)).filter((x) => x !== null);
      }
    }
    return cur;
  };
  return (d) => run(first(d), 0);
}

const FUNCS: Record<string, (a: unknown[]) => unknown> = {
  length: ([x]) => (typeof x === 'string' ? x.length : Array.isArray(x) ? x.length : isMapping(x) ? Object.keys(x).length : null),
  contains: ([x, y]) => (typeof x === 'string' ? x.includes(pyStr(y)) : Array.isArray(x) ? x.some((e) => pyEquals(e, y)) : false),
  keys: ([x]) => (isMapping(x) ? Object.keys(x) : null),
  values: ([x]) => (isMapping(x) ? Object.values(x) : null),
  join: ([sep, x]) => (Array.isArray(x) ? x.map(pyStr).join(pyStr(sep)) : null),
  starts_with: ([x, p]) => typeof x === 'string' && x.startsWith(pyStr(p)),
  ends_with: ([x, p]) => typeof x === 'string' && x.endsWith(pyStr(p)),
  to_string: ([x]) => (typeof x === 'string' ? x : JSON.stringify(x)),
  to_number: ([x]) => (typeof x === 'number' ? x : Number.isFinite(Number(x)) ? Number(x) : null),
  not_null: (a) => a.find((x) => x !== null) ?? null,
  sort: ([x]) => (Array.isArray(x) ? [...x].sort(pyCompare) : null),
  reverse: ([x]) => (Array.isArray(x) ? [...x].reverse() : typeof x === 'string' ? [...x].reverse().join('') : null),
  type: ([x]) =>
    x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x === 'object' ? 'object' : typeof x === 'boolean' ? 'boolean' : typeof x,
};

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}
  private peek = (o = 0) => this.toks[this.i + o];
  private fail(m: string): never {
    const at = this.peek()?.at ?? this.src.length;
    throw new TemplateTypeError(`json_query: ${m} at ${at} in ${JSON.stringify(this.src)} (Lifeboat knows a JMESPath subset: docs/variables.md)`);
  }
  private eat(t: string): Tok {
    const k = this.peek();
    if (k?.t !== t) this.fail(`expected ${t}, got ${k?.t ?? 'end'}`);
    this.i++;
    return k;
  }
  private is(t: string) {
    return this.peek()?.t === t;
  }
  parseAll(): Ev {
    const e = this.pipe();
    if (this.i < this.toks.length) this.fail(`unexpected ${this.peek()?.t}`);
    return e;
  }
  private pipe(): Ev {
    let e = this.or();
    while (this.is('|')) {
      this.i++;
      const l = e;
      const r = this.or();
      e = (d) => r(l(d));
    }
    return e;
  }
  private or(): Ev {
    let e = this.and();
    while (this.is('||')) {
      this.i++;
      const [l, r] = [e, this.and()];
      e = (d) => (truthy(l(d)) ? l(d) : r(d));
    }
    return e;
  }
  private and(): Ev {
    let e = this.not();
    while (this.is('&&')) {
      this.i++;
      const [l, r] = [e, this.not()];
      e = (d) => (truthy(l(d)) ? r(d) : l(d));
    }
    return e;
  }
  private not(): Ev {
    if (this.is('!')) {
      this.i++;
      const e = this.not();
      return (d) => !truthy(e(d));
    }
    const l = this.chain();
    const op = this.peek()?.t;
    if (!op || !['==', '!=', '<', '<=', '>', '>='].includes(op)) return l;
    this.i++;
    const r = this.chain();
    return (d) => {
      const [a, b] = [l(d), r(d)];
      if (op === '==') return pyEquals(a, b);
      if (op === '!=') return !pyEquals(a, b);
      if (typeof a !== 'number' || typeof b !== 'number') return null;
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    };
  }
  private chain(): Ev {
    let steps: Step[] = [];
    let first: Ev = (d) => d;
    const k = this.peek();
    if (k?.t === 'id' && this.peek(1)?.t === '(') first = this.call();
    else if (k?.t === 'id') {
      this.i++;
      first = field(String(k.v));
    } else if (k?.t === 'lit') {
      this.i++;
      first = () => k.v;
    } else if (k?.t === '@') this.i++;
    else if (k?.t === '(') {
      this.i++;
      first = this.pipe();
      this.eat(')');
    } else if (k?.t === '{') first = this.hash();
    else if (k?.t === '*') {
      this.i++;
      steps.push({ kind: 'project', f: (d) => (isMapping(d) ? Object.values(d) : null) });
    } else if (k?.t === '[' && !this.bracketIsIndex()) first = this.list();
    else if (!k || !['[', '[?', '[]'].includes(k.t)) this.fail(`unexpected ${k?.t ?? 'end'}`);
    for (;;) {
      const t = this.peek()?.t;
      if (t === '.') {
        this.i++;
        const n = this.peek();
        if (n?.t === 'id') {
          this.i++;
          steps.push({ kind: 'map', f: field(String(n.v)) });
        } else if (n?.t === '*') {
          this.i++;
          steps.push({ kind: 'project', f: (d) => (isMapping(d) ? Object.values(d) : null) });
        } else if (n?.t === '{') steps.push({ kind: 'map', f: this.hash() });
        else if (n?.t === '[') steps.push({ kind: 'map', f: this.list() });
        else this.fail('expected a name after .');
      } else if (t === '[]') {
        // a flatten ends the projection before it: what it collected is flattened, then projected anew
        this.i++;
        first = chainOf(first, steps);
        steps = [];
        steps.push({ kind: 'project', f: (d) => (Array.isArray(d) ? d.flatMap((x) => (Array.isArray(x) ? x : [x])) : null) });
      } else if (t === '[?') {
        this.i++;
        const cond = this.pipe();
        this.eat(']');
        steps.push({ kind: 'project', f: (d) => (Array.isArray(d) ? d.filter((x) => truthy(cond(x))) : null) });
      } else if (t === '[' && this.peek(1)?.t === '*') {
        this.i += 2;
        this.eat(']');
        steps.push({ kind: 'project', f: (d) => (Array.isArray(d) ? d : null) });
      } else if (t === '[' && this.peek(1)?.t === 'num') {
        this.i++;
        const n = Number(this.eat('num').v);
        this.eat(']');
        steps.push({ kind: 'map', f: (d) => (Array.isArray(d) ? (d[n < 0 ? d.length + n : n] ?? null) : null) });
      } else break;
    }
    return chainOf(first, steps);
  }
  private bracketIsIndex(): boolean {
    const n = this.peek(1)?.t;
    return n === '*' || n === 'num';
  }
  private list(): Ev {
    this.eat('[');
    const items: Ev[] = [this.pipe()];
    while (this.is(',')) {
      this.i++;
      items.push(this.pipe());
    }
    this.eat(']');
    return (d) => (d === null ? null : items.map((e) => e(d)));
  }
  private hash(): Ev {
    this.eat('{');
    const pairs: Array<[string, Ev]> = [];
    do {
      if (this.is(',')) this.i++;
      const k = this.eat('id');
      this.eat(':');
      pairs.push([String(k.v), this.pipe()]);
    } while (this.is(','));
    this.eat('}');
    return (d) => (d === null ? null : Object.fromEntries(pairs.map(([k, e]) => [k, e(d)])));
  }
  private call(): Ev {
    const name = String(this.eat('id').v);
    const fn = FUNCS[name] ?? this.fail(`unknown function ${name}()`);
    this.eat('(');
    const args: Ev[] = [];
    while (!this.is(')')) {
      if (args.length) this.eat(',');
      args.push(this.pipe());
    }
    this.eat(')');
    return (d) => fn(args.map((a) => a(d)));
  }
}

const compiled = new Map<string, Ev>();

export function jmesSearch(expr: string, data: unknown): unknown {
  let e = compiled.get(expr);
  if (!e) {
    e = new Parser(lex(expr), expr).parseAll();
    compiled.set(expr, e);
  }
  return e(data);
}

export const jmespathFilters: Record<string, FilterFn> = {
  json_query: (v, a) => jmesSearch(pyStr(a[0]), v),
};
