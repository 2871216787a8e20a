/**
 * The playbook layer: load playbooks, task files and roles into the model of ./types.ts, and validate them.
 * Importing it registers every module (module arguments are checked at load).
 */
import '../modules/index.js';

export type { ExpandedRole } from './context.js';
export {
  type LoadOptions,
  loadPlaybook,
  loadRole,
  loadTasksFile,
  loadVarsFile,
  readPlaybook,
  type RunTimeLoadOptions,
} from './load.js';
export { checkNotify, handlerNames, walkTasks } from './notify.js';
export { packageRoot, roleSearchPath } from './role-path.js';
export type * from './types.js';
export { type ValidateOptions, validate } from './validate.js';
