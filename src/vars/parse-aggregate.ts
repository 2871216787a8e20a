import type { Node } from './ast.js';

/**
 * Jinja's literals and call arguments, replacing nunjucks' looser and stricter parts: a trailing comma is
 * allowed (`{'a': 1,}`, `[1, 2,]`, `f(x,)` — kubespray writes multi-line dicts that way), `(x,)` is a
 * one-element tuple, a dict key is any expression (`{'k' ~ n: v}`), and a literal must close with its own
 * bracket (nunjucks took `[1, 2)` too).
 */

interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}
export interface AggregateParser {
  peekToken(): Token | null;
  nextToken(): Token | null;
  pushToken(t: Token): void;
  skip(type: string): boolean;
  skipValue(type: string, value: string): boolean;
  parseExpression(): Node;
  fail(msg: string, lineno?: number, colno?: number): never;
}
type Ctor = new (l: number, c: number, ...rest: unknown[]) => Node & { addChild(n: Node): void };
export interface AggregateCtors {
  Group: Ctor;
  Array: Ctor;
  Dict: Ctor;
  Pair: Ctor;
  NodeList: Ctor;
  KeywordArgs: Ctor;
}

const CLOSE: Record<string, string> = {
  'left-paren': 'right-paren',
  'left-bracket': 'right-bracket',
  'left-curly': 'right-curly',
};
const SHOW: Record<string, string> = { 'right-paren': ')', 'right-bracket': ']', 'right-curly': '}' };

export function parseAggregate(p: AggregateParser, nodes: AggregateCtors): Node | null {
  const open = p.nextToken();
  const close = open ? CLOSE[open.type] : undefined;
  if (!open || !close) {
    if (open) p.pushToken(open);
    return null;
  }
  const kind = open.type === 'left-paren' ? 'Group' : open.type === 'left-bracket' ? 'Array' : 'Dict';
  const node = new nodes[kind](open.lineno, open.colno);
  let commas = 0;
  for (;;) {
    const tok = p.peekToken();
    if (!tok) p.fail(`unexpected end of template, expected ${SHOW[close]}`, open.lineno, open.colno);
    if (tok.type === close) {
      p.nextToken();
      break;
    }
    if (node.children?.length) {
      if (!p.skip('comma')) p.fail(`expected , or ${SHOW[close]}, got ${tok.value}`, tok.lineno, tok.colno);
      commas++;
      if (p.peekToken()?.type === close) continue;
    }
    if (kind === 'Dict') {
      const key = p.parseExpression();
      if (!p.skip('colon')) p.fail('expected : after a dict key', key.lineno, key.colno);
      const value = p.parseExpression();
      node.addChild(new nodes.Pair(key.lineno, key.colno, key, value));
    } else node.addChild(p.parseExpression());
  }
  // `(x,)` is a one-element tuple (compiled as a list); `(x)` is x.
  if (kind === 'Group' && commas > 0) node.tuple = true;
  return node;
}

/** `f(a, b, k=v,)`: positional and keyword arguments, a trailing comma allowed. */
export function parseSignature(p: AggregateParser, nodes: AggregateCtors, tolerant?: boolean, noParens?: boolean): Node | null {
  let tok = p.peekToken();
  if (!noParens && tok?.type !== 'left-paren') {
    if (tolerant) return null;
    p.fail('expected arguments', tok?.lineno, tok?.colno);
  }
  if (tok?.type === 'left-paren') tok = p.nextToken();
  const args = new nodes.NodeList(tok?.lineno ?? 0, tok?.colno ?? 0);
  const kwargs = new nodes.KeywordArgs(tok?.lineno ?? 0, tok?.colno ?? 0);
  let first = true;
  for (;;) {
    tok = p.peekToken();
    if (!tok) p.fail('unexpected end of template, expected )');
    if (!noParens && tok.type === 'right-paren') {
      p.nextToken();
      break;
    }
    if (noParens && tok.type === 'block-end') break;
    if (!first) {
      if (!p.skip('comma')) p.fail(`expected , or ), got ${tok.value}`, tok.lineno, tok.colno);
      const next = p.peekToken();
      if (!noParens && next?.type === 'right-paren') continue;
    }
    first = false;
    const a = p.parseExpression();
    if (p.skipValue('operator', '=')) kwargs.addChild(new nodes.Pair(a.lineno, a.colno, a, p.parseExpression()));
    else args.addChild(a);
  }
  if (kwargs.children?.length) args.addChild(kwargs);
  return args;
}
