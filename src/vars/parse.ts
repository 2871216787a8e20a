import { createRequire } from 'node:module';
import { LifeboatError } from '../errors.js';
import { PY_SIMPLE_ESCAPES } from '../pystring.js';
import type { Node } from './ast.js';
import { type ParserLike, extendParser } from './parse-ext.js';

/**
 * Jinja source → AST, with nunjucks' lexer and parser (the maintained part of nunjucks we keep; its
 * compiler and runtime are not used). One change: string literals follow Python's escapes (`'\d'` stays
 * `\d`, `'\\1'` is `\1`, `'\x41'`), where nunjucks would drop unknown backslashes.
 */

interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}
interface Tokenizer {
  in_code: boolean;
  lineno: number;
  colno: number;
  nextToken(): Token | null;
  forward(): void;
  current(): string;
  isFinished(): boolean;
  _parseString(delim: string): string;
}
interface NunjucksInternals {
  lexer: {
    lex(src: string, opts: { trimBlocks?: boolean; lstripBlocks?: boolean }): Tokenizer;
  };
  parser: { Parser: new (tokens: Tokenizer) => ParserLike & { parseAsRoot(): Node } };
  nodes: Parameters<typeof extendParser>[1];
}
let loaded: NunjucksInternals | undefined;
/** nunjucks (CommonJS) is loaded by the first template parsed: a run whose values hold no template never loads it. */
function nunjucksLib(): NunjucksInternals {
  loaded ??= createRequire(import.meta.url)('nunjucks') as NunjucksInternals;
  return loaded;
}

const SIMPLE = PY_SIMPLE_ESCAPES;

function pythonString(this: Tokenizer, delim: string): string {
  this.forward();
  let out = '';
  const take = (n: number, re: RegExp): string => {
    let s = '';
    while (s.length < n && re.test(this.current())) {
      s += this.current();
      this.forward();
    }
    return s;
  };
  while (!this.isFinished() && this.current() !== delim) {
    const c = this.current();
    this.forward();
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = this.current();
    if (Object.hasOwn(SIMPLE, e)) {
      out += SIMPLE[e];
      this.forward();
    } else if (/[0-7]/.test(e)) out += String.fromCharCode(Number.parseInt(take(3, /[0-7]/), 8));
    else if (e === 'x' || e === 'u' || e === 'U') {
      this.forward();
      const hex = take(e === 'x' ? 2 : e === 'u' ? 4 : 8, /[0-9a-fA-F]/);
      out += hex ? String.fromCodePoint(Number.parseInt(hex, 16)) : `\\${e}`;
    } else out += '\\';
  }
  this.forward();
  return out;
}

/**
 * Two lexer fixes. `{{ {'a': {'b': 1}} }}`: nunjucks' lexer takes the inner `}}` for the end of the
 * expression; Jinja's counts braces, so inside an open `{` a `}` is a closing brace. And trim_blocks also
 * applies after `{# comments #}`, as in Jinja.
 */
function jinjaTokens(t: Tokenizer, trimBlocks: boolean): void {
  const next = t.nextToken.bind(t);
  let depth = 0;
  t.nextToken = () => {
    if (t.in_code && depth > 0 && t.current() === '}') {
      const tok = { type: 'right-curly', value: '}', lineno: t.lineno, colno: t.colno };
      t.forward();
      depth--;
      return tok;
    }
    const tok = next();
    if (tok?.type === 'comment' && trimBlocks) {
      // Jinja's trim_blocks also drops the newline after a comment.
      if (t.current() === '\r') t.forward();
      if (t.current() === '\n') t.forward();
    }
    if (tok?.type === 'left-curly') depth++;
    else if (tok?.type === 'right-curly') depth = Math.max(0, depth - 1);
    else if (tok?.type === 'variable-end' || tok?.type === 'block-end') depth = 0;
    return tok;
  };
}

export interface ParseOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
}

export function parseTemplate(src: string, opts: ParseOptions): Node {
  const nj = nunjucksLib();
  const tokens = nj.lexer.lex(src, opts);
  tokens._parseString = pythonString;
  jinjaTokens(tokens, opts.trimBlocks);
  try {
    const parser = new nj.parser.Parser(tokens);
    extendParser(parser, nj.nodes);
    return parser.parseAsRoot();
  } catch (e) {
    const err = e as Error & { lineno?: number; colno?: number };
    const msg = String(err.message)
      .replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '')
      .trim();
    const pos = err.lineno !== undefined ? ` (template line ${err.lineno}, column ${err.colno ?? 1})` : '';
    throw new LifeboatError('E_TEMPLATE', `template syntax error: ${msg}${pos}`);
  }
}
