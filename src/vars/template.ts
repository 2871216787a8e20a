import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { LifeboatError } from '../errors.js';
import { type Expr, type Node, syntaxError, unsupportedTag } from './ast.js';
import { compileExpr } from './compile.js';
import { type ParseOptions, parseTemplate } from './parse.js';
import { TemplateTypeError, pyIter, pyLen, pyStr, truthy } from './python.js';
import type { Scope } from './scope.js';
import { Undefined, strict, strictDeep, whereOpts } from './undefined.js';

/** Template statements (output, if, for, set, include) compiled to closures, and the compiled-template cache. */

export type Stmt = (s: Scope, out: string[]) => void;

export interface Compiled {
  /** Set when the template is exactly one `{{ expr }}`: its value keeps its native type. */
  native?: Expr;
  body: Stmt;
}

const field = (n: Node, f: string): Node => n[f] as Node;
const kids = (n: Node): Node[] => n.children ?? [];
const ok = <T>(s: Scope, v: T) => strict(v, s.state.where, s.state.chain);

function compileNodes(nodes: Node[]): Stmt {
  const parts = nodes.map(compileStmt);
  if (parts.length === 1) return parts[0] as Stmt;
  return (s, out) => {
    for (const p of parts) p(s, out);
  };
}

function compileBranch(n: Node | null | undefined): Stmt {
  if (!n) return () => {};
  return n.typename === 'If' ? compileStmt(n) : compileNodes(kids(n));
}

function compileStmt(n: Node): Stmt {
  switch (n.typename) {
    case 'NodeList':
    case 'Root':
      return compileNodes(kids(n));
    case 'TemplateData': {
      const text = String(n.value ?? '');
      return (_s, out) => void out.push(text);
    }
    case 'Output': {
      const parts = kids(n).map((c) => {
        if (c.typename === 'TemplateData') {
          const text = String(c.value ?? '');
          return () => text;
        }
        const e = compileExpr(c);
        return (s: Scope) => pyStr(strictDeep(e(s), s.state.where, s.state.chain));
      });
      return (s, out) => {
        for (const p of parts) out.push(p(s));
      };
    }
    case 'If': {
      const cond = compileExpr(field(n, 'cond'));
      const body = compileBranch(field(n, 'body'));
      const other = compileBranch(n.else_ as Node | null);
      return (s, out) => (truthy(ok(s, cond(s))) ? body(s, out) : other(s, out));
    }
    case 'For':
      return compileFor(n);
    case 'Do': {
      const e = compileExpr(field(n, 'expr'));
      return (s) => void ok(s, e(s));
    }
    case 'Break':
      return () => {
        throw BREAK;
      };
    case 'Continue':
      return () => {
        throw CONTINUE;
      };
    case 'Set':
      return compileSet(n);
    case 'Include': {
      const name = compileExpr(field(n, 'template'));
      const ignoreMissing = n.ignoreMissing === true;
      return (s, out) => include(s, pyStr(ok(s, name(s))), ignoreMissing, out);
    }
    default:
      throw unsupportedTag(n);
  }
}

function names(n: Node): string[] {
  const list = n.typename === 'Array' ? kids(n) : [n];
  return list.map((x) => {
    if (x.typename !== 'Symbol') throw syntaxError(x, 'expected a variable name');
    return String(x.value);
  });
}

function assign(s: Scope, targets: string[], value: unknown): void {
  if (targets.length === 1) {
    s.set(targets[0] as string, value);
    return;
  }
  const items = pyIter(ok(s, value));
  if (items.length !== targets.length)
    throw new TemplateTypeError(
      `cannot unpack ${items.length} values into ${targets.length} names (${targets.join(', ')})`,
    );
  for (const [i, t] of targets.entries()) s.set(t, items[i]);
}

/** `{% break %}` / `{% continue %}` unwind to the innermost loop. */
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

function compileFor(n: Node): Stmt {
  let arrNode = field(n, 'arr');
  let cond: Expr | undefined;
  // `{% for x in xs if x.ok %}` parses as an inline if without else: Jinja's loop filter.
  if (arrNode.typename === 'InlineIf' && !arrNode.else_) {
    cond = compileExpr(field(arrNode, 'cond'));
    arrNode = field(arrNode, 'body');
  }
  const arr = compileExpr(arrNode);
  const targets = names(field(n, 'name'));
  const body = compileBranch(field(n, 'body'));
  const other = compileBranch(n.else_ as Node | null);
  return (s, out) => {
    const seq = ok(s, arr(s));
    let items = seq === null ? [] : pyIter(seq, 'the for loop');
    if (cond) {
      const test = cond;
      items = items.filter((item) => {
        const inner = s.child();
        assign(inner, targets, item);
        return truthy(ok(inner, test(inner)));
      });
    }
    if (!items.length) return other(s, out);
    const len = pyLen(items);
    for (const [i, item] of items.entries()) {
      const inner = s.child();
      assign(inner, targets, item);
      inner.set('loop', {
        index: i + 1,
        index0: i,
        revindex: len - i,
        revindex0: len - i - 1,
        first: i === 0,
        last: i === len - 1,
        length: len,
        previtem: i > 0 ? items[i - 1] : new Undefined('loop.previtem'),
        nextitem: i < len - 1 ? items[i + 1] : new Undefined('loop.nextitem'),
      });
      try {
        body(inner, out);
      } catch (e) {
        if (e === BREAK) break;
        if (e !== CONTINUE) throw e;
      }
    }
  };
}

function compileSet(n: Node): Stmt {
  const targets = names({
    typename: 'Array',
    lineno: n.lineno,
    colno: n.colno,
    children: n.targets as Node[],
  });
  if (n.value) {
    const value = compileExpr(field(n, 'value'));
    return (s) => assign(s, targets, value(s));
  }
  const body = compileNodes(kids(field(field(n, 'body'), 'body')));
  return (s) => {
    const buf: string[] = [];
    body(s, buf);
    assign(s, targets, buf.join(''));
  };
}

function include(s: Scope, name: string, ignoreMissing: boolean, out: string[]): void {
  const dirs = s.state.opts.searchPath;
  if (!dirs?.length)
    throw new LifeboatError(
      'E_TEMPLATE',
      `{% include '${name}' %} is only available in files rendered by the template module`,
      whereOpts(s.state.where),
    );
  const candidates = isAbsolute(name) ? [name] : dirs.map((d) => resolve(join(d, name)));
  for (const p of candidates) {
    let src: string;
    try {
      src = readFileSync(p, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    compileTemplate(src, parseOpts(s)).body(s, out);
    return;
  }
  if (ignoreMissing) return;
  throw new LifeboatError(
    'E_TEMPLATE',
    `included template '${name}' not found (looked in ${candidates.join(', ')})`,
    whereOpts(s.state.where),
  );
}

function parseOpts(s: Scope): ParseOptions {
  return {
    trimBlocks: s.state.opts.trimBlocks ?? true,
    lstripBlocks: s.state.opts.lstripBlocks ?? false,
  };
}

const CACHE_MAX = 20_000;
const cache = new Map<string, Compiled>();

/** Parse and compile (cached by source and options). */
export function compileTemplate(src: string, opts: ParseOptions): Compiled {
  const key = `${opts.trimBlocks ? 1 : 0}${opts.lstripBlocks ? 1 : 0}${src}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const root = parseTemplate(src, opts);
  const top = kids(root);
  const only = top.length === 1 && top[0]?.typename === 'Output' ? kids(top[0]) : [];
  const compiled: Compiled = { body: compileNodes(top) };
  if (only.length === 1 && only[0] && only[0].typename !== 'TemplateData') compiled.native = compileExpr(only[0]);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, compiled);
  return compiled;
}
