/**
 * One masking rule for every printer and store: each secret value is replaced by `********`, literally (no
 * regular expressions, so `.*`, `$` or `\` in a secret are plain characters), longest first (so a secret that
 * contains another is masked whole). Values are masked before anything is serialised: masking JSON text would
 * miss a secret whose `"` or `\` JSON escapes.
 *
 * `SecretSet` is live: a value added after a reporter was built is masked by it from then on.
 */
export const MASK = '********';

/** Replaces every occurrence of each secret in `text` (longest first; empty values ignored). */
export function maskText(text: string, secrets: Iterable<string>): string {
  const list = [...new Set([...secrets].filter((s) => typeof s === 'string' && s.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  let out = text;
  for (const s of list) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/** A masked copy of a JSON-like value: every string (keys too) masked, so no serialiser can re-expose one. */
export function maskDeepWith(value: unknown, mask: (t: string) => string): unknown {
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

  /** Adds a value (a string or a Secret; empty strings ignored). Returns it revealed. */
  add(value: string | Secret): string {
    const v = value instanceof Secret ? value.reveal() : value;
    if (typeof v === 'string' && v.length > 0 && !this.#values.has(v)) {
      this.#values.add(v);
      this.#sorted = undefined;
    }
    return v;
  }

  has(value: string): boolean {
    return this.#values.has(value);
  }

  get size(): number {
    return this.#values.size;
  }

  values(): string[] {
    if (!this.#sorted) this.#sorted = [...this.#values].sort((a, b) => b.length - a.length);
    return this.#sorted;
  }

  mask(text: string): string {
    return maskText(text, this.values());
  }

  maskDeep(value: unknown): unknown {
    return maskDeepWith(value, (t) => this.mask(t));
  }

  /** Never prints its values. */
  toJSON(): string {
    return `[${this.size} secret(s)]`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretSet(${this.size})`;
  }
}
