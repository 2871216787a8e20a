/** Variables and templates: Jinja rendering, plan-mode unknowns, precedence, magic variables, masking. */
export {
  renderValue,
  renderString,
  evalExpression,
  evalCondition,
  checkTemplate,
  toText,
} from './render.js';
export {
  makeUnknown,
  isUnknown,
  UnknownValue,
  UnknownValueError,
} from './unknown.js';
export { layeredVars, withDataVars } from './layered.js';
export { buildMagicVars, makeHostvars } from './magic.js';
export { OMIT, isOmit } from './omit.js';
export { PASSWORD_VARS } from './secrets.js';
export { hasTemplate } from './scope.js';
export type {
  TaskWhere,
  Where,
  RenderOptions,
  LayeredVarsInput,
  MagicVarsInput,
} from './types.js';
