/**
 * Turning the loose shapes the playbook language allows (a string or a list, `yes`/`no`, `tags: a,b`)
 * into the model's one shape. Values were schema-checked before they get here.
 */

/** Ansible-style truthiness of a literal keyword value; undefined when absent. */
export function toBool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return ['yes', 'true', 'on', 'y', '1'].includes(v.toLowerCase());
  return Boolean(v);
}

/** `ignore_errors` may also be a template, kept raw. */
export function toBoolOrTemplate(v: unknown): boolean | string | undefined {
  if (typeof v === 'string' && v.includes('{{')) return v;
  return toBool(v);
}

/**
 * A condition as a bare expression: `when: "{{ x }}"` (which Ansible warns about) becomes `x`,
 * booleans become `true` / `false`.
 */
export function toCondition(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v).trim();
  const m = /^\{\{([\s\S]*)\}\}$/.exec(s);
  if (m?.[1] !== undefined && !m[1].includes('{{') && !m[1].includes('}}')) return m[1].trim();
  return s;
}

/** `when` / `failed_when` / `changed_when`: a string, boolean or list → list of expressions (all must hold). */
export function toConditions(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(toCondition);
}

/** `notify: h` / `notify: [a, b]`. */
export function toStringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

/** `tags: a,b` / `tags: [a, b]` / `tags: 7`. */
export function toTags(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : String(v).split(',');
  return list.map((x) => String(x).trim()).filter((x) => x !== '');
}

export function toVars(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};
}

/** Copy only the defined entries (the model's optional fields are absent, never `undefined`). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
