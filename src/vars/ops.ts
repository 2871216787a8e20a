import { TemplateTypeError, pyRepr, pyStr, typeName, brief } from './python.js';

/** Python arithmetic on Jinja values. */

function isNum(v: unknown): v is number | boolean {
  return typeof v === 'number' || typeof v === 'boolean';
}

function bad(op: string, a: unknown, b: unknown): never {
  throw new TemplateTypeError(
    `unsupported operand types for ${op}: ${typeName(a)} and ${typeName(b)} (${brief(a)} ${op} ${brief(b)})`,
  );
}

export function pyAdd(a: unknown, b: unknown): unknown {
  if (isNum(a) && isNum(b)) return Number(a) + Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  return bad('+', a, b);
}

export function pyArith(op: '-' | '*' | '/' | '//' | '%' | '**', a: unknown, b: unknown): unknown {
  if (op === '*') {
    if (typeof a === 'string' && typeof b === 'number') return a.repeat(Math.max(0, b));
    if (Array.isArray(a) && typeof b === 'number') return Array.from({ length: Math.max(0, b) }, () => a).flat();
  }
  if (op === '%' && typeof a === 'string') return pyFormat(a, Array.isArray(b) ? b : [b]);
  if (!isNum(a) || !isNum(b)) return bad(op, a, b);
  const x = Number(a);
  const y = Number(b);
  if ((op === '/' || op === '//' || op === '%') && y === 0) throw new TemplateTypeError('division by zero');
  switch (op) {
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '//':
      return Math.floor(x / y);
    case '%':
      return ((x % y) + y) % y;
    case '**':
      return x ** y;
  }
}

/** `'%s-%d' % (a, b)` — %s %r %d %i %f %x and %% only. */
export function pyFormat(fmt: string, args: unknown[]): string {
  let i = 0;
  const out = fmt.replace(/%(\.\d+)?([srdifx%])/g, (_m, prec: string | undefined, c: string) => {
    if (c === '%') return '%';
    if (i >= args.length) throw new TemplateTypeError(`not enough arguments for format string '${fmt}'`);
    const v = args[i++];
    if (c === 's') return pyStr(v);
    if (c === 'r') return pyRepr(v);
    if (!isNum(v)) throw new TemplateTypeError(`%${c} format: a number is required, not ${typeName(v)}`);
    const n = Number(v);
    if (c === 'f') return n.toFixed(prec ? Number(prec.slice(1)) : 6);
    if (c === 'x') return Math.trunc(n).toString(16);
    return String(Math.trunc(n));
  });
  if (i < args.length) throw new TemplateTypeError(`not all arguments converted during string formatting of '${fmt}'`);
  return out;
}
