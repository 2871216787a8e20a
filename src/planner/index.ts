export * from '../plan-types.js';
export { buildPlan, factsHash, summarize } from './build.js';
export { computeInputs, diffInputs, inputFiles, type InputSources } from './inputs.js';
export { diffPlans } from './compare.js';
export { renderPlanText, unifiedDiff } from './render-text.js';
export { renderPlanMarkdown } from './render-markdown.js';
export { renderPlanHtml } from './render-html.js';
export { RUN_STAMP_VAR, runStamp, withRunStamp } from './stamp.js';
