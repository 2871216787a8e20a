import { LifeboatError } from '../errors.js';
import type { Scope } from './scope.js';

/** nunjucks AST nodes (its parser's output), as far as we read them. */
export interface Node {
  typename: string;
  lineno: number;
  colno: number;
  value?: unknown;
  children?: Node[];
  [field: string]: unknown;
}

export type Expr = (s: Scope) => unknown;

export function syntaxError(node: Node, msg: string): LifeboatError {
  return new LifeboatError('E_TEMPLATE', `${msg} (template line ${node.lineno + 1}, column ${node.colno + 1})`);
}

const field = (n: Node, f: string): Node => n[f] as Node;

/** The expression as written, for messages: `result.stdout`, `hostvars['n1'].x`. */
export function pathText(n: Node): string {
  if (n.typename === 'Symbol') return String(n.value);
  if (n.typename === 'LookupVal') {
    const t = pathText(field(n, 'target'));
    const v = field(n, 'val');
    if (v.typename === 'Literal' && typeof v.value === 'string')
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(v.value) ? `${t}.${v.value}` : `${t}['${v.value}']`;
    if (v.typename === 'Literal') return `${t}[${String(v.value)}]`;
    return `${t}[${pathText(v)}]`;
  }
  if (n.typename === 'FunCall') return `${pathText(field(n, 'name'))}(…)`;
  if (n.typename === 'Literal') return JSON.stringify(n.value);
  return '(expression)';
}

const TAGS: Record<string, string> = { FromImport: 'from', Caller: 'call', CallExtension: 'extension' };

/** The error for a Jinja tag Lifeboat does not support (`{% macro %}`, `{% call %}`, …). */
export function unsupportedTag(n: Node): LifeboatError {
  const tag = TAGS[n.typename] ?? n.typename.toLowerCase();
  return syntaxError(n, `{% ${tag} %} is not supported by Lifeboat's templating (see docs/variables.md)`);
}
