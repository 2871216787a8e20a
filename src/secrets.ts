import { writeFileSync } from 'node:fs';

/**
 * The one masking rule for every printer and store: each secret value is replaced by `********`, literally
 * (no regular expressions, so `.*`, `$` or `\` in a secret are plain characters), longest first (so a secret
 * that contains another is masked whole); values shorter than MIN_SECRET_LENGTH characters are not secrets
 * (masking `1` or `no` would mask every occurrence of them, and show the value by where the masks fall).
 * Values are masked before anything is serialised: masking JSON text would miss a secret whose `"` or `\`
 * JSON escapes.
 *
 * A run has one `SecretSet`, shared by reference (never copied) with everything that prints or stores: a
 * value added after a reporter was built is masked by it from then on. Printers write only through a
 * `MaskedWriter`, which cannot be made without one.
 */
export const MASK = '********';
export const MIN_SECRET_LENGTH = 3;

function maskText(text: string, sorted: readonly string[]): string {
  let out = text;
  for (const s of sorted) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/** A masked copy of a JSON-like value: every string (keys too) masked, so no serialiser can re-expose one. */
function maskDeepWith(value: unknown, mask: (t: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (value instanceof Secret) return MASK;
  if (Array.isArray(value)) return value.map((v) => maskDeepWith(v, mask));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[mask(k)] = maskDeepWith(v, mask);
    return out;
  }
  return value;
}

/** A secret value that masks itself wherever it is printed or serialised; `reveal()` gives the value. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return MASK;
  }
  toJSON(): string {
    return MASK;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return MASK;
  }
}

/** The run's secrets, shared by reference with everything that prints or stores. */
export class SecretSet {
  readonly #values = new Set<string>();
  #sorted: string[] | undefined;

  constructor(values: Iterable<string | Secret> = []) {
    for (const v of values) this.add(v);
  }

  /** Adds a value (a string or a Secret; shorter than MIN_SECRET_LENGTH ignored). Returns it revealed. */
  add(value: string | Secret): string {
    const v = value instanceof Secret ? value.reveal() : value;
    if (typeof v === 'string' && v.length >= MIN_SECRET_LENGTH && !this.#values.has(v)) {
      this.#values.add(v);
      this.#sorted = undefined;
    }
    return v;
  }

  /** Adds every string and number found in a value (a variable holding a dict or list of secrets). */
  addDeep(value: unknown): void {
    if (typeof value === 'string' || value instanceof Secret) this.add(value);
    else if (typeof value === 'number') this.add(String(value));
    else if (Array.isArray(value)) for (const x of value) this.addDeep(x);
    else if (value && typeof value === 'object') for (const x of Object.values(value)) this.addDeep(x);
  }

  has(value: string): boolean {
    return this.#values.has(value);
  }

  get size(): number {
    return this.#values.size;
  }

  /**
   * What is masked, longest first: each value as written, and as it appears escaped inside a JSON string or
   * a shell single-quoted word (a command line or a JSON document that holds it).
   */
  #forms(): string[] {
    if (!this.#sorted) {
      const forms = new Set<string>();
      for (const v of this.#values) for (const f of [v, JSON.stringify(v).slice(1, -1), v.replace(/'/g, `'\\''`)]) forms.add(f);
      this.#sorted = [...forms].sort((a, b) => b.length - a.length);
    }
    return this.#sorted;
  }

  mask(text: string): string {
    return this.#values.size === 0 ? text : maskText(text, this.#forms());
  }

  /** A masked copy of a JSON-like value (every string, keys too), to serialise instead of the value. */
  maskDeep<T>(value: T): T {
    return (this.#values.size === 0 ? value : maskDeepWith(value, (t) => this.mask(t))) as T;
  }

  /** Never prints its values. */
  toJSON(): string {
    return `[${this.size} secret(s)]`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretSet(${this.size})`;
  }
}

/** A stream a MaskedWriter writes to (process.stdout, a file stream, a test's PassThrough). */
export interface TextStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * The only way text is printed: every string is masked with the run's SecretSet as it is written. Reporters
 * and the CLI get one of these, never a raw stream.
 */
export class MaskedWriter {
  readonly #stream: TextStream;
  constructor(
    stream: TextStream,
    readonly secrets: SecretSet,
  ) {
    this.#stream = stream;
  }

  write(text: string): void {
    this.#stream.write(this.secrets.mask(text));
  }

  /** A value as JSON, masked before it is serialised (then the text once more). */
  json(value: unknown, indent?: number): void {
    this.write(`${JSON.stringify(this.secrets.maskDeep(value), null, indent)}\n`);
  }

  get isTTY(): boolean {
    return this.#stream.isTTY === true;
  }

  get columns(): number | undefined {
    return this.#stream.columns;
  }

  /**
   * The stream for a renderer that writes by itself (listr2): the same stream, except that every string
   * written through it is masked. A renderer that replaces `write` while it draws (listr2 buffers other
   * output so) replaces the stream's own, as it did before; putting the masked one back restores it.
   */
  rendererStream(): NodeJS.WriteStream {
    const stream = this.#stream as TextStream & Record<PropertyKey, unknown>;
    const original = stream.write;
    const mask = (t: string) => this.secrets.mask(t);
    const masked = (chunk: unknown, ...rest: unknown[]) =>
      (original as (...a: unknown[]) => unknown).call(stream, typeof chunk === 'string' ? mask(chunk) : chunk, ...rest);
    return new Proxy(stream, {
      get(target, prop) {
        if (prop === 'write') return target.write === original ? masked : target.write;
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
      set(target, prop, value) {
        return Reflect.set(target, prop, prop === 'write' && value === masked ? original : value, target);
      },
    }) as unknown as NodeJS.WriteStream;
  }
}

/** Stores text in a file, masked (the `plan --out` file). */
export function writeFileMasked(path: string, text: string, secrets: SecretSet): void {
  writeFileSync(path, secrets.mask(text));
}
