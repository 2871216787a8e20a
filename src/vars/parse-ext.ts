import type { Node } from './ast.js';
import { type AggregateCtors, type AggregateParser, parseAggregate, parseSignature } from './parse-aggregate.js';

/**
 * What Lifeboat adds to nunjucks' parser (per parser instance, nothing global): Python slices `x[1:]`,
 * `x[::-1]`, Jinja's bare test argument (`x is divisibleby 3`), and the tags Ansible enables —
 * `{% do expr %}`, `{% break %}`, `{% continue %}` — and Jinja's literals and call arguments
 * (parse-aggregate.ts: trailing commas, `(x,)`).
 */

interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}
export interface ParserLike extends AggregateParser {
  peekToken(): Token | null;
  nextToken(): Token | null;
  skip(type: string): boolean;
  parseExpression(): Node;
  parseSignature(tolerant?: boolean, noParens?: boolean): Node | null;
  parseAggregate(): Node | null;
  advanceAfterBlockEnd(name?: string): Token;
  fail(msg: string, lineno?: number, colno?: number): never;
  parsePostfix(node: Node): Node;
  parseCompare(): Node;
  parsePrimary(): Node;
  parseIs(): Node;
  skipSymbol(name: string): boolean;
  extensions: Array<{ tags: string[]; parse(p: ParserLike): Node }>;
}
interface NodeCtors extends AggregateCtors {
  Is: new (l: number, c: number, left: Node, right: Node) => Node;
  Not: new (l: number, c: number, target: Node) => Node;
  FunCall: new (l: number, c: number, name: Node, args: Node) => Node;
  LookupVal: new (l: number, c: number, target: Node, val: Node) => Node;
  Literal: new (l: number, c: number, value: unknown) => Node;
}

const LBRACKET = 'left-bracket';
const RBRACKET = 'right-bracket';
const COLON = 'colon';

function subscript(p: ParserLike, target: Node, open: Token, nodes: NodeCtors): Node {
  p.nextToken();
  const peekIs = (t: string) => p.peekToken()?.type === t;
  const start = peekIs(COLON) ? null : p.parseExpression();
  if (p.skip(RBRACKET)) {
    if (!start) p.fail('empty subscript', open.lineno, open.colno);
    return new nodes.LookupVal(open.lineno, open.colno, target, start as Node);
  }
  if (!p.skip(COLON)) p.fail('expected ] or : in subscript', open.lineno, open.colno);
  const stop = peekIs(COLON) || peekIs(RBRACKET) ? null : p.parseExpression();
  let step: Node | null = null;
  if (p.skip(COLON) && !peekIs(RBRACKET)) step = p.parseExpression();
  if (!p.skip(RBRACKET)) p.fail('expected ] to close the slice', open.lineno, open.colno);
  return { typename: 'Slice', lineno: open.lineno, colno: open.colno, target, start, stop, step };
}

function simpleTag(name: string, withExpr: boolean): { tags: string[]; parse(p: ParserLike): Node } {
  return {
    tags: [name],
    parse(p) {
      const tok = p.nextToken() as Token;
      const expr = withExpr ? p.parseExpression() : null;
      p.advanceAfterBlockEnd(tok.value);
      return {
        typename: name === 'do' ? 'Do' : name === 'break' ? 'Break' : 'Continue',
        lineno: tok.lineno,
        colno: tok.colno,
        expr,
      };
    },
  };
}

/**
 * After `.`: a name (`x.name`) or, as Jinja, an index (`item.0`, `item.0.name`; the lexer reads `0.` of
 * `0.name` as a float, so split it).
 */
function dotted(p: ParserLike, target: Node, dot: Token, nodes: NodeCtors): Node {
  const lookup = (n: Node, t: Token, key: unknown) =>
    new nodes.LookupVal(dot.lineno, dot.colno, n, new nodes.Literal(t.lineno, t.colno, key));
  const val = p.nextToken();
  if (val?.type === 'symbol') return lookup(target, val, val.value);
  if (val?.type === 'int') return lookup(target, val, Number(val.value));
  if (val?.type === 'float' && /^\d+(\.\d+)*\.?$/.test(val.value)) {
    let node = target;
    for (const part of val.value.split('.')) if (part !== '') node = lookup(node, val, Number(part));
    if (val.value.endsWith('.')) node = dotted(p, node, dot, nodes);
    return node;
  }
  return p.fail(`expected a name or an index after '.', got ${val?.value ?? 'end'}`, dot.lineno, dot.colno);
}

/** Tokens that start Jinja's bare test argument (`x is divisibleby 3`, `x is sameas none`). */
const ARG_START = new Set(['string', 'int', 'float', 'boolean', 'none', 'symbol', 'left-bracket', 'left-curly']);
const NOT_ARG = new Set(['and', 'or', 'else', 'if', 'in', 'is', 'not']);

/** `x is [not] test`, `x is test(args)`, and Jinja's `x is test arg`. */
function parseIs(p: ParserLike, nodes: NodeCtors): Node {
  const node = p.parseCompare();
  if (!p.skipSymbol('is')) return node;
  const not = p.skipSymbol('not');
  let test = p.parseCompare();
  const next = p.peekToken();
  if (
    test.typename === 'Symbol' &&
    next &&
    ARG_START.has(next.type) &&
    !(next.type === 'symbol' && NOT_ARG.has(next.value))
  ) {
    const arg = p.parsePrimary();
    test = new nodes.FunCall(test.lineno, test.colno, test, new nodes.NodeList(arg.lineno, arg.colno, [arg]));
  }
  const is = new nodes.Is(node.lineno, node.colno, node, test);
  return not ? new nodes.Not(node.lineno, node.colno, is) : is;
}

export function extendParser(p: ParserLike, nodes: NodeCtors): void {
  p.parseIs = () => parseIs(p, nodes);
  p.parseAggregate = () => parseAggregate(p, nodes);
  p.parseSignature = (tolerant?: boolean, noParens?: boolean) => parseSignature(p, nodes, tolerant, noParens);
  p.extensions = [simpleTag('do', true), simpleTag('break', false), simpleTag('continue', false)];
  p.parsePostfix = function parsePostfix(this: ParserLike, start: Node): Node {
    let node = start;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === 'left-paren') node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature() as Node);
      else if (tok.type === LBRACKET) node = subscript(this, node, tok, nodes);
      else if (tok.type === 'operator' && tok.value === '.') {
        this.nextToken();
        node = dotted(this, node, tok, nodes);
      } else break;
    }
    return node;
  };
}
