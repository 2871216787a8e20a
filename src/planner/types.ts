// The plan's types live in src/executor/plan-types.ts (the executor, below the planner, reads a saved plan too).
export * from '../executor/plan-types.js';
