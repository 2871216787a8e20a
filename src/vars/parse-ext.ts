import type { Node } from './ast.js';

/**
 * What Lifeboat adds to nunjucks' parser (per parser instance, nothing global): Python slices `x[1:]`,
 * `x[::-1]`, and the tags Ansible enables — `{% do expr %}`, `{% break %}`, `{% continue %}`.
 */

interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}
export interface ParserLike {
  peekToken(): Token | null;
  nextToken(): Token | null;
  skip(type: string): boolean;
  parseExpression(): Node;
  parseSignature(): Node;
  advanceAfterBlockEnd(name?: string): Token;
  fail(msg: string, lineno?: number, colno?: number): never;
  parsePostfix(node: Node): Node;
  extensions: Array<{ tags: string[]; parse(p: ParserLike): Node }>;
}
interface NodeCtors {
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

export function extendParser(p: ParserLike, nodes: NodeCtors): void {
  p.extensions = [simpleTag('do', true), simpleTag('break', false), simpleTag('continue', false)];
  p.parsePostfix = function parsePostfix(this: ParserLike, start: Node): Node {
    let node = start;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === 'left-paren') node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      else if (tok.type === LBRACKET) node = subscript(this, node, tok, nodes);
      else if (tok.type === 'operator' && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        if (val?.type !== 'symbol')
          this.fail(`expected a name after '.', got ${val?.value ?? 'end'}`, tok.lineno, tok.colno);
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, val.value));
      } else break;
    }
    return node;
  };
}
