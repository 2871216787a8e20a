import { type Expr, type Node, pathText, syntaxError, unsupportedTag } from './ast.js';
import { getAttr } from './attr.js';
import { callFilter, callFunction, callMethod, callTest } from './call.js';
import { knownName, unknownNameError } from './names.js';
import { pyAdd, pyArith } from './ops.js';
import { TemplateTypeError, pyCompare, pyEquals, pyIn, pyStr, truthy, brief } from './python.js';
import type { Scope } from './scope.js';
import { pySlice, sliceIndex } from './slice.js';
import { Undefined, isUndefined, strict } from './undefined.js';

const field = (n: Node, f: string): Node => n[f] as Node;
const kids = (n: Node): Node[] => n.children ?? [];
const ok = <T>(s: Scope, v: T) => strict(v, s.state.where, s.state.chain);

/** Positional and keyword arguments of a call node. */
function compileArgs(nodes: Node[]): (s: Scope) => { args: unknown[]; kw: Record<string, unknown> } {
  const pos: Expr[] = [];
  const named: Array<[string, Expr]> = [];
  for (const a of nodes) {
    if (a.typename === 'KeywordArgs')
      for (const p of kids(a)) named.push([String(field(p, 'key').value), compileExpr(field(p, 'value'))]);
    else pos.push(compileExpr(a));
  }
  return (s) => {
    const kw: Record<string, unknown> = {};
    for (const [k, e] of named) kw[k] = e(s);
    return { args: pos.map((e) => e(s)), kw };
  };
}

const ARITH: Record<string, '-' | '*' | '/' | '//' | '%' | '**'> = {
  Sub: '-',
  Mul: '*',
  Div: '/',
  FloorDiv: '//',
  Mod: '%',
  Pow: '**',
};

export function compileExpr(n: Node): Expr {
  switch (n.typename) {
    case 'Literal': {
      const v = n.value;
      if (v instanceof RegExp) throw syntaxError(n, 'regular expression literals are not supported; use a string');
      return () => v;
    }
    case 'Symbol': {
      const name = String(n.value);
      return (s) => s.lookup(name, GLOBALS);
    }
    case 'Group': {
      const items = kids(n).map(compileExpr);
      if (items.length === 1 && n.tuple !== true) return items[0] as Expr;
      return (s) => items.map((e) => e(s));
    }
    case 'Array': {
      const items = kids(n).map(compileExpr);
      return (s) => items.map((e) => e(s));
    }
    case 'Dict': {
      const pairs = kids(n).map((p) => [compileExpr(field(p, 'key')), compileExpr(field(p, 'value'))] as const);
      return (s) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of pairs) o[pyStr(ok(s, k(s)))] = v(s);
        return o;
      };
    }
    case 'LookupVal': {
      const target = compileExpr(field(n, 'target'));
      const key = compileExpr(field(n, 'val'));
      const path = pathText(n);
      const tpath = pathText(field(n, 'target'));
      return (s) => {
        const t = target(s);
        // Chainable, as Ansible's undefined: `a.b.c | default(x)` works when `a.b` is missing; any other use
        // still fails, naming the first missing piece.
        if (isUndefined(t)) return t;
        return getAttr(ok(s, t), ok(s, key(s)), path, tpath);
      };
    }
    case 'FunCall':
      return compileCall(n);
    case 'Filter': {
      const name = String(field(n, 'name').value);
      const [subject, ...rest] = kids(field(n, 'args'));
      if (!subject) throw syntaxError(n, `filter '${name}' without a value`);
      // As Jinja2: an unknown filter is refused when the template is compiled, not when it is reached.
      if (!knownName('filter', name)) throw unknownNameError('filter', name, field(n, 'name'));
      const value = compileExpr(subject);
      const args = compileArgs(rest);
      return (s) => {
        const a = args(s);
        return callFilter(s, name, value(s), a.args, a.kw);
      };
    }
    case 'Is':
      return compileIs(n);
    case 'In': {
      const l = compileExpr(field(n, 'left'));
      const r = compileExpr(field(n, 'right'));
      return (s) => pyIn(ok(s, l(s)), ok(s, r(s)));
    }
    case 'Not': {
      const t = compileExpr(field(n, 'target'));
      return (s) => !truthy(ok(s, t(s)));
    }
    case 'And': {
      const l = compileExpr(field(n, 'left'));
      const r = compileExpr(field(n, 'right'));
      return (s) => {
        const a = ok(s, l(s));
        return truthy(a) ? ok(s, r(s)) : a;
      };
    }
    case 'Or': {
      const l = compileExpr(field(n, 'left'));
      const r = compileExpr(field(n, 'right'));
      return (s) => {
        const a = ok(s, l(s));
        return truthy(a) ? a : ok(s, r(s));
      };
    }
    case 'InlineIf': {
      const c = compileExpr(field(n, 'cond'));
      const b = compileExpr(field(n, 'body'));
      const e = n.else_ ? compileExpr(field(n, 'else_')) : undefined;
      return (s) =>
        truthy(ok(s, c(s)))
          ? b(s)
          : e
            ? e(s)
            : new Undefined('(inline if)', [], 'the inline if was false and has no else');
    }
    case 'Concat': {
      const l = compileExpr(field(n, 'left'));
      const r = compileExpr(field(n, 'right'));
      return (s) => pyStr(ok(s, l(s))) + pyStr(ok(s, r(s)));
    }
    case 'Add': {
      const l = compileExpr(field(n, 'left'));
      const r = compileExpr(field(n, 'right'));
      return (s) => pyAdd(ok(s, l(s)), ok(s, r(s)));
    }
    case 'Neg':
    case 'Pos': {
      const t = compileExpr(field(n, 'target'));
      const neg = n.typename === 'Neg';
      return (s) => {
        const v = ok(s, t(s));
        if (typeof v !== 'number' && typeof v !== 'boolean')
          throw new TemplateTypeError(`bad operand for unary ${neg ? '-' : '+'}: ${brief(v)}`);
        return neg ? -Number(v) : Number(v);
      };
    }
    case 'Compare':
      return compileCompare(n);
    case 'Slice':
      return compileSlice(n);
    case 'Caller':
      throw unsupportedTag(n);
    case 'Capture':
      throw syntaxError(n, '{% filter %} blocks are not supported; apply the filter to an expression');
    default: {
      const op = ARITH[n.typename];
      if (op) {
        const l = compileExpr(field(n, 'left'));
        const r = compileExpr(field(n, 'right'));
        return (s) => pyArith(op, ok(s, l(s)), ok(s, r(s)));
      }
      throw syntaxError(n, `unsupported expression (${n.typename})`);
    }
  }
}

function compileSlice(n: Node): Expr {
  const target = compileExpr(field(n, 'target'));
  const part = (f: string): Expr => (n[f] ? compileExpr(field(n, f)) : () => undefined);
  const [start, stop, step] = [part('start'), part('stop'), part('step')];
  return (s) =>
    pySlice(
      ok(s, target(s)),
      sliceIndex(ok(s, start(s)), 'start'),
      sliceIndex(ok(s, stop(s)), 'stop'),
      sliceIndex(ok(s, step(s)), 'step'),
    );
}

function compileCompare(n: Node): Expr {
  const first = compileExpr(field(n, 'expr'));
  const ops = kids({ ...n, children: n.ops as Node[] }).map(
    (o) => [String(o.type), compileExpr(field(o, 'expr'))] as const,
  );
  return (s) => {
    let left = ok(s, first(s));
    for (const [op, e] of ops) {
      const right = ok(s, e(s));
      let r: boolean;
      if (op === '==' || op === '===') r = pyEquals(left, right);
      else if (op === '!=' || op === '!==') r = !pyEquals(left, right);
      else {
        const c = pyCompare(left, right);
        r = op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
      }
      if (!r) return false;
      left = right;
    }
    return true;
  };
}

/** `ansible.utils.ipv4` (a test's fully-qualified name) is parsed as attribute lookups: read it back. */
function dottedName(n: Node): string | undefined {
  if (n.typename === 'Symbol') return String(n.value);
  if (n.typename !== 'LookupVal') return undefined;
  const v = field(n, 'val');
  const head = dottedName(field(n, 'target'));
  return head !== undefined && v.typename === 'Literal' && typeof v.value === 'string' ? `${head}.${v.value}` : undefined;
}

function compileIs(n: Node): Expr {
  const subject = compileExpr(field(n, 'left'));
  const t = field(n, 'right');
  let name: string;
  let args: ReturnType<typeof compileArgs> = () => ({ args: [], kw: {} });
  const dotted = dottedName(t);
  if (dotted !== undefined) name = dotted;
  else if (t.typename === 'Literal' && t.value === null) name = 'none';
  else if (t.typename === 'Literal' && typeof t.value === 'boolean') name = t.value ? 'true' : 'false';
  else if (t.typename === 'FunCall' && dottedName(field(t, 'name')) !== undefined) {
    name = dottedName(field(t, 'name')) as string;
    args = compileArgs(kids(field(t, 'args')));
  } else throw syntaxError(n, `expected a test name after 'is'`);
  if (!knownName('test', name)) throw unknownNameError('test', name, t);
  return (s) => {
    const a = args(s);
    return callTest(s, name, subject(s), a.args, a.kw);
  };
}

function compileCall(n: Node): Expr {
  const callee = field(n, 'name');
  const args = compileArgs(kids(field(n, 'args')));
  if (callee.typename === 'LookupVal' && field(callee, 'val').typename === 'Literal') {
    const target = compileExpr(field(callee, 'target'));
    const method = String(field(callee, 'val').value);
    const tpath = pathText(field(callee, 'target'));
    return (s) => {
      const a = args(s);
      return callMethod(s, ok(s, target(s)), method, a.args, a.kw, tpath);
    };
  }
  if (callee.typename === 'Symbol') {
    const name = String(callee.value);
    return (s) => {
      const a = args(s);
      return callFunction(s, name, a.args, a.kw);
    };
  }
  throw syntaxError(n, `cannot call ${pathText(callee)}`);
}

/** Names that resolve to functions (only callable, never printed). */
const GLOBALS: Record<string, unknown> = {};
