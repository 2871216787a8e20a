import { brief, isMapping, pyRepr, typeName } from './python.js';
import { Undefined } from './undefined.js';

/** `target.key` / `target[key]` with Jinja's rules: missing keys give Undefined naming the path. */
export function getAttr(target: unknown, key: unknown, path: string, targetPath: string): unknown {
  if (Array.isArray(target) || typeof target === 'string') {
    if (typeof key === 'number' && Number.isInteger(key)) {
      const i = key < 0 ? target.length + key : key;
      if (i >= 0 && i < target.length) return target[i];
      return new Undefined(path, [], `index ${key} is out of range (length ${target.length})`);
    }
    return new Undefined(path, [], `'${targetPath}' is a ${typeName(target)}, it has no attribute ${pyRepr(key)}`);
  }
  if (isMapping(target)) {
    const k = typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean' ? String(key) : undefined;
    if (k !== undefined && Object.hasOwn(target, k) && target[k] !== undefined) return target[k];
    return new Undefined(path, Object.keys(target), `'${targetPath}' has no attribute ${pyRepr(key)}`);
  }
  return new Undefined(
    path,
    [],
    `'${targetPath}' is ${typeName(target)} ${brief(target)}, it has no attribute ${pyRepr(key)}`,
  );
}

/** `a.b.c` attribute paths as used by map(attribute=), sort(attribute=), selectattr. */
export function getPath(target: unknown, dotted: string | number): unknown {
  if (typeof dotted === 'number') return getAttr(target, dotted, `[${dotted}]`, 'item');
  let cur = target;
  let path = 'item';
  for (const part of dotted.split('.')) {
    if (cur instanceof Undefined) return cur;
    const key = /^\d+$/.test(part) && Array.isArray(cur) ? Number(part) : part;
    const next = `${path}.${part}`;
    cur = getAttr(cur, key, next, path);
    path = next;
  }
  return cur;
}
