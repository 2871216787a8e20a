/**
 * `ansible_port` / `ansible_ssh_port` must be a port number (1–65535) or a template to render later: any other
 * value (`twenty-two`, `22.5`, `0`) is refused when the inventory is loaded, naming its file and line.
 */
import { type ErrorCode, LifeboatError, type SourceRef } from '../errors.js';
import { type DataPath, positionOf, type YamlFile } from '../yamlpos.js';

export const PORT_VARS = new Set(['ansible_port', 'ansible_ssh_port']);

/** Why `value` is not a port, or undefined when it is one (or a template rendered per host at run time). */
export function badPort(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && value.includes('{{')) return undefined;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 65535) return undefined;
  return `${JSON.stringify(value)} is not a port number`;
}

export function portError(name: string, value: unknown, src: SourceRef, code: ErrorCode = 'E_INVENTORY'): LifeboatError | undefined {
  if (!PORT_VARS.has(name)) return undefined;
  const why = badPort(value);
  return why
    ? new LifeboatError(code, `${name} ${why}`, { src, hint: 'use a number from 1 to 65535' })
    : undefined;
}

/** Every port variable anywhere in a parsed YAML inventory or vars file (`code`: whose input it is). */
export function yamlPortErrors(y: YamlFile, code: ErrorCode = 'E_INVENTORY'): LifeboatError[] {
  const out: LifeboatError[] = [];
  const walk = (v: unknown, path: DataPath): void => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...path, i]);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const e = portError(k, x, positionOf(y, [...path, k]), code);
        if (e) out.push(e);
        else walk(x, [...path, k]);
      }
    }
  };
  walk(y.value, []);
  return out;
}
