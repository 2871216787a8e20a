/**
 * A role named in `roles:` or in a role's meta `dependencies:`: `x`, `{ role: x, param: 1 }`,
 * `{ name: x, when: …, tags: … }`. Task keywords apply to every task of the role; every other key is a role
 * parameter (so are the entries of `vars:`).
 */
import { toVars } from './coerce.js';
import { commonFields } from './common.js';
import type { RoleUse } from './context.js';
import { checkKeywords } from './keywords.js';
import { COMMON_KEYWORDS } from './schemas.js';
import { at, isMapping, isTemplated, type Loc, type Problems } from './source.js';
import type { TaskNode } from './types.js';

export interface RoleEntry {
  use: RoleUse;
  /** Task keywords given with the role (when, tags, become…), applied to its tasks. */
  keywords: Record<string, unknown>;
  loc: Loc;
}

const KEYWORDS = new Set(Object.keys(COMMON_KEYWORDS).filter((k) => k !== 'vars' && k !== 'name'));

export function parseRoleEntry(raw: unknown, loc: Loc, problems: Problems): RoleEntry | undefined {
  if (typeof raw === 'string') return checkName(raw, loc, problems) ? { use: { name: raw, params: {}, loc }, keywords: {}, loc } : undefined;
  if (!isMapping(raw)) {
    problems.add('E_ROLE', loc, 'a role entry must be a role name or a mapping with `role:`');
    return undefined;
  }
  const nameKey = 'role' in raw ? 'role' : 'name' in raw ? 'name' : undefined;
  const name = nameKey ? raw[nameKey] : undefined;
  if (!nameKey || typeof name !== 'string') {
    problems.add('E_ROLE', loc, 'a role entry needs `role: <name>`');
    return undefined;
  }
  const nameLoc = at(loc, nameKey);
  if (!checkName(name, nameLoc, problems)) return undefined;
  const keywords: Record<string, unknown> = {};
  const params: Record<string, unknown> = toVars(raw.vars);
  for (const [k, v] of Object.entries(raw)) {
    if (k === nameKey || k === 'vars') continue;
    if (KEYWORDS.has(k)) keywords[k] = v;
    else params[k] = v;
  }
  checkKeywords({ ...keywords, ...(raw.vars !== undefined ? { vars: raw.vars } : {}) }, loc, COMMON_KEYWORDS, 'role entry', problems);
  return { use: { name, params, loc: nameLoc }, keywords, loc };
}

function checkName(name: string, loc: Loc, problems: Problems): boolean {
  if (!isTemplated(name)) return true;
  problems.add('E_ROLE', loc, 'a role listed in `roles:` needs a fixed name, not a template', 'use `include_role` to choose a role at run time');
  return false;
}

/** The role's tasks inside a block carrying the entry's keywords (as they are when there are none). */
export function applyRoleKeywords(tasks: TaskNode[], entry: RoleEntry): TaskNode[] {
  if (!Object.keys(entry.keywords).length || !tasks.length) return tasks;
  const common = commonFields(entry.keywords, entry.loc);
  return [{ kind: 'block', ...common, block: tasks, rescue: [], always: [] }];
}
