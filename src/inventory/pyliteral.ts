/**
 * INI inventory values, read as Ansible reads them: Ansible passes each value to Python's
 * `ast.literal_eval` and keeps the plain string when that fails. So `5` is a number, `True` a boolean,
 * `None` null, `'x'` / `"x"` the string x, `[1, 2]` a list, `{"a": 1}` a mapping — while `yes`, `true`,
 * `0755`, `10.0.0.1` and `{{ base_dir }}/x` stay the exact text written.
 *
 * Differences from Python, by necessity: tuples and sets become lists, dict keys become strings, an
 * integer beyond 2^53 and a complex number stay the text written, an f-string is never evaluated.
 */

import { PY_SIMPLE_ESCAPES } from '../pystring.js';

export type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

class Fail extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseAll(): PyValue {
    this.skip(false);
    const v = this.value();
    this.skip(false);
    if (this.i < this.s.length) throw new Fail();
    return v;
  }

  /** Skip spaces (and, inside brackets, newlines) and `#` comments. */
  private skip(multiline: boolean): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\f' || (multiline && (c === '\n' || c === '\r'))) this.i++;
      else if (c === '\\' && multiline && s[this.i + 1] === '\n') this.i += 2;
      else if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else break;
    }
  }

  private value(): PyValue {
    const s = this.s;
    const c = s[this.i];
    if (c === undefined) throw new Fail();
    if (c === '[') return this.list(']');
    if (c === '(') return this.list(')');
    if (c === '{') return this.braces();
    if (c === '-' || c === '+') {
      this.i++;
      this.skip(false);
      const n = this.number();
      return c === '-' ? -n : n;
    }
    if (/[0-9.]/.test(c)) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.i))?.[0];
    if (word !== undefined) {
      if (/^(?:[rRuUbB]|[bB][rR]|[rR][bB])$/.test(word) && (s[this.i + word.length] === "'" || s[this.i + word.length] === '"')) {
        return this.strings();
      }
      this.i += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      throw new Fail();
    }
    if (c === "'" || c === '"') return this.strings();
    throw new Fail();
  }

  private list(close: string): PyValue {
    this.i++;
    const out: PyValue[] = [];
    let comma = false;
    for (;;) {
      this.skip(true);
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skip(true);
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        comma = true;
      } else if (c === close) {
        this.i++;
        // `(x)` is x itself, not a tuple
        if (close === ')' && out.length === 1 && !comma) return out[0] as PyValue;
        return out;
      } else throw new Fail();
    }
  }

  private braces(): PyValue {
    this.i++;
    const dict: Record<string, PyValue> = {};
    const set: PyValue[] = [];
    let kind: 'dict' | 'set' | undefined;
    for (;;) {
      this.skip(true);
      if (this.s[this.i] === '}') {
        this.i++;
        return kind === 'set' ? set : dict;
      }
      const k = this.value();
      this.skip(true);
      if (this.s[this.i] === ':' && kind !== 'set') {
        kind = 'dict';
        this.i++;
        this.skip(true);
        const v = this.value();
        if (k !== null && typeof k === 'object') throw new Fail(); // unhashable key
        dict[String(k)] = v;
      } else if (kind !== 'dict') {
        kind = 'set';
        set.push(k);
      } else throw new Fail();
      this.skip(true);
      const c = this.s[this.i];
      if (c === ',') this.i++;
      else if (c !== '}') throw new Fail();
    }
  }

  private number(): number {
    const rest = this.s.slice(this.i);
    const m =
      /^0[xX](?:_?[0-9a-fA-F])+|^0[oO](?:_?[0-7])+|^0[bB](?:_?[01])+/.exec(rest) ??
      /^(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?/.exec(rest);
    if (!m || m[0] === '.') throw new Fail();
    const text = m[0].replace(/_/g, '');
    this.i += m[0].length;
    if (/^[jJ0-9a-zA-Z_]/.test(this.s[this.i] ?? '')) throw new Fail(); // 1j, 1abc
    let n: number;
    if (/^0[xXoObB]/.test(text)) {
      n = Number(text.toLowerCase());
    } else if (/[.eE]/.test(text)) {
      n = Number.parseFloat(text);
    } else {
      if (/^0+[1-9]/.test(text)) throw new Fail(); // 0755: a SyntaxError in Python 3
      n = Number(text);
    }
    if (!Number.isFinite(n)) throw new Fail();
    if (Number.isInteger(n) && !/[.eE]/.test(text) && !Number.isSafeInteger(n)) throw new Fail();
    return n;
  }

  /** One or more adjacent string literals (Python concatenates them). */
  private strings(): string {
    let out = '';
    let any = false;
    for (;;) {
      const m = /^([rRuUbB]|[bB][rR]|[rR][bB])?('''|"""|'|")/.exec(this.s.slice(this.i));
      if (!m) break;
      any = true;
      const raw = /[rR]/.test(m[1] ?? '');
      const quote = m[2] as string;
      this.i += m[0].length;
      out += this.stringBody(quote, raw);
      this.skip(false);
    }
    if (!any) throw new Fail();
    return out;
  }

  private stringBody(quote: string, raw: boolean): string {
    const s = this.s;
    let out = '';
    for (;;) {
      if (this.i >= s.length) throw new Fail();
      if (s.startsWith(quote, this.i)) {
        this.i += quote.length;
        return out;
      }
      const c = s[this.i] as string;
      if (c === '\n' && quote.length === 1) throw new Fail();
      if (c === '\\') {
        const n = s[this.i + 1];
        if (n === undefined) throw new Fail();
        if (raw) {
          out += c + n;
          this.i += 2;
          continue;
        }
        this.i += 2;
        out += this.escape(n);
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private escape(n: string): string {
    if (Object.hasOwn(PY_SIMPLE_ESCAPES, n)) return PY_SIMPLE_ESCAPES[n] as string;
    const hex = (len: number): string => {
      const h = this.s.slice(this.i, this.i + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new Fail();
      this.i += len;
      return String.fromCodePoint(Number.parseInt(h, 16));
    };
    if (n === 'x') return hex(2);
    if (n === 'u') return hex(4);
    if (n === 'U') return hex(8);
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{0,2}/.exec(this.s.slice(this.i))?.[0] ?? '';
      this.i += m.length;
      return String.fromCharCode(Number.parseInt(n + m, 8));
    }
    return `\\${n}`; // Python keeps unknown escapes as written
  }
}

/** Python's `ast.literal_eval` on `text`, or `{ ok: false }` where Python would raise. */
export function pyLiteral(text: string): { ok: true; value: PyValue } | { ok: false } {
  try {
    return { ok: true, value: new Parser(text).parseAll() };
  } catch (e) {
    if (e instanceof Fail) return { ok: false };
    throw e;
  }
}

/** An INI inventory value as Ansible reads it: the Python literal it spells, else the text itself. */
export function iniValue(text: string): PyValue {
  const r = pyLiteral(text);
  return r.ok ? r.value : text;
}
