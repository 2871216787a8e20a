import { LifeboatError } from '../errors.js';
import type { Where } from './types.js';

/**
 * Plan mode: a value standing for a register whose content is not known before the run. Any template or
 * condition that reads it throws UnknownValueError; `x is defined` on it is true.
 */
export class UnknownValue {
  constructor(readonly variable: string) {
    Object.freeze(this);
  }
  toString(): string {
    throw new UnknownValueError(this.variable);
  }
}

export function makeUnknown(name: string): UnknownValue {
  return new UnknownValue(name);
}

export function isUnknown(v: unknown): v is UnknownValue {
  return v instanceof UnknownValue;
}

/** Thrown when a template reads a value that is only known after the run (the planner says "unknown until run"). */
export class UnknownValueError extends LifeboatError {
  readonly variable: string;
  constructor(variable: string, where: Where = {}) {
    super('E_UNDEFINED', `'${variable}' is not known until the run (registered by an earlier task)`, {
      ...(where.src ? { src: where.src } : {}),
      ...(where.host ? { host: where.host } : {}),
      ...(where.task ? { task: where.task } : {}),
      hint: 'the plan shows this task as "unknown until run"',
    });
    this.name = 'UnknownValueError';
    this.variable = variable;
  }
}
