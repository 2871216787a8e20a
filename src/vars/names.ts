import { LifeboatError, editDistance } from '../errors.js';
import type { Node } from './ast.js';
import { FILTERS } from './filters/index.js';
import { LOOKUPS } from './functions.js';
import { TESTS } from './tests.js';

/**
 * The names a template may use — filters, tests, lookups — and the error for one that does not exist, with
 * the close names as a hint. Filters and tests are checked when a template is compiled (as Jinja2, which
 * refuses `{{ x | nope }}` before rendering anything); lookups when `lifeboat validate` checks a template.
 */

const PREFIXES = ['ansible.builtin.', 'ansible.legacy.', 'ansible.utils.', 'ansible.netcommon.', 'community.general.', 'lifeboat.builtin.'];

/** `ansible.utils.ipaddr` → `ipaddr`. */
export function canonicalName(name: string): string {
  for (const p of PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

/** Up to 5 known names close to `word` (edit distance, or one holding the other), nearest first. */
export function closeNames(word: string, known: Iterable<string>): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(w.length / 2)));
  const scored: Array<[number, string]> = [];
  for (const k of known) {
    const c = k.toLowerCase();
    const d = editDistance(w, c);
    if (d <= limit || (w.length >= 3 && c.length >= 3 && (c.includes(w) || w.includes(c)))) scored.push([d, k]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, 5)
    .map((x) => x[1]);
}

export type NameKind = 'filter' | 'test' | 'lookup';
const TABLES: Record<NameKind, Record<string, unknown>> = { filter: FILTERS, test: TESTS, lookup: LOOKUPS };

export function knownName(kind: NameKind, name: string): boolean {
  return Object.hasOwn(TABLES[kind], kind === 'lookup' ? name : canonicalName(name));
}

export function unknownNameError(kind: NameKind, name: string, pos?: { lineno: number; colno: number }): LifeboatError {
  const close = closeNames(canonicalName(name), Object.keys(TABLES[kind]));
  const at = pos ? ` (template line ${pos.lineno + 1}, column ${pos.colno + 1})` : '';
  return new LifeboatError('E_TEMPLATE', `no ${kind} named '${name}'${at}`, {
    hint: close.length
      ? `did you mean ${close.map((c) => `\`${c}\``).join(', ')}?`
      : `docs/variables.md lists the ${kind}s Lifeboat knows`,
  });
}

/** `lookup('name', …)` / `query('name', …)` / `q('name', …)` with a literal name that is no lookup. */
export function unknownLookup(root: Node): LifeboatError | undefined {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      stack.push(...n);
      continue;
    }
    if (!n || typeof n !== 'object' || typeof (n as Node).typename !== 'string') continue;
    const node = n as Node;
    if (node.typename === 'FunCall') {
      const callee = node.name as Node;
      const first = ((node.args as Node | undefined)?.children ?? [])[0];
      if (
        callee?.typename === 'Symbol' &&
        ['lookup', 'query', 'q'].includes(String(callee.value)) &&
        first?.typename === 'Literal' &&
        typeof first.value === 'string' &&
        !knownName('lookup', canonicalName(first.value))
      )
        return unknownNameError('lookup', first.value, first);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'typename' && v && typeof v === 'object') stack.push(v);
  }
  return undefined;
}
