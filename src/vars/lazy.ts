import { LAZY } from './plain.js';

/** A read-only map whose members are computed on access (never walked whole by the renderer). */
export function lazyMap(
  keys: () => string[],
  contains: (k: string) => boolean,
  get: (k: string) => unknown,
): Record<string, unknown> {
  const has = (k: string | symbol): k is string => typeof k === 'string' && contains(k);
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, k) => (k === LAZY ? true : has(k) ? get(k) : undefined),
    has: (_t, k) => has(k),
    ownKeys: () => keys(),
    getOwnPropertyDescriptor: (_t, k) =>
      has(k)
        ? {
            value: get(k),
            enumerable: true,
            configurable: true,
            writable: false,
          }
        : undefined,
    set: () => false,
    deleteProperty: () => false,
  });
}
