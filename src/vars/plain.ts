/** Objects (such as `hostvars`) that render their own members on access and are never walked whole. */
export const LAZY = Symbol.for('lifeboat.vars.lazy');
export function isLazy(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (v as Record<symbol, unknown>)[LAZY] === true;
}

/** A plain list/map (not a class instance such as an unknown value, not a lazy map). */
export function isPlainMapping(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || isLazy(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
