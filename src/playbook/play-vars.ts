/**
 * A play's `vars:` checked at load time as task values are: template syntax (an unclosed `{{ foo`), and a port
 * variable that is no port number (`ansible_port: twenty-two`) — each refused naming file, line and column.
 * Task, block and include `vars:` get the port check too (their template syntax is checked with the task's).
 */
import { badPort, PORT_VARS } from '../inventory/port-check.js';
import { at, isMapping, type Loc, type Problems } from './source.js';
import { checkTemplateSyntax } from './templates.js';

export function checkPlayVars(vars: unknown, loc: Loc, problems: Problems): void {
  if (!isMapping(vars)) return;
  checkTemplateSyntax(vars, loc, problems);
  checkVarsPorts(vars, loc, problems);
}

/** A port variable of a `vars:` mapping that is no port number (a template is rendered, and checked, later). */
export function checkVarsPorts(vars: unknown, loc: Loc, problems: Problems): void {
  if (!isMapping(vars)) return;
  for (const name of PORT_VARS) {
    const why = name in vars ? badPort(vars[name]) : undefined;
    if (why) problems.add('E_SCHEMA', at(loc, name), `${name} ${why}`, 'use a number from 1 to 65535');
  }
}
