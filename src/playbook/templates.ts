/**
 * Template syntax checked at load time: an unclosed `{{ foo` or a broken `{% if %}` in a task is invalid
 * input, reported with the file, line and column of the value that holds it — not a failure on every host
 * at run time. Only syntax is checked here; names are resolved when the task runs.
 */
import { checkTemplate } from '../vars/index.js';
import { at, isMapping, type Loc, type Problems, srcOf } from './source.js';

/** Task keywords whose value is a bare Jinja expression (Ansible adds the `{{ }}`), not a template string. */
const EXPRESSION_KEYS = new Set(['when', 'changed_when', 'failed_when', 'until']);

export function checkTemplateSyntax(value: unknown, loc: Loc, problems: Problems, expression = false): void {
  if (typeof value === 'string') {
    const err = checkTemplate(value, {}, { expression });
    if (err) problems.add('E_TEMPLATE', srcOf(loc), err.message, err.hint ?? 'close every `{{` with `}}` and every `{%` with `%}`');
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkTemplateSyntax(value[i], at(loc, i), problems, expression);
    return;
  }
  if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) checkTemplateSyntax(v, at(loc, k), problems, expression);
  }
}

/** Every value of one task mapping; `keyOf` gives the key as written where the loader shortened it. */
export function checkTaskTemplates(task: Record<string, unknown>, loc: Loc, keyOf: Map<string, string>, problems: Problems): void {
  for (const [k, v] of Object.entries(task)) {
    checkTemplateSyntax(v, at(loc, keyOf.get(k) ?? k), problems, EXPRESSION_KEYS.has(k));
  }
}
