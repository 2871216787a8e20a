import { maskDeepWith } from '../secrets.js';
import { maskSecrets, stepLabel } from '../modules/apply.js';
import type { Step } from '../modules/types.js';
import type { PlannedStep } from './events.js';
import { OUTPUT_LIMIT } from './options.js';

export const NO_LOG_TEXT = 'the output has been hidden due to no_log: true';

/** Masks every secret, then cuts the text to `limit` bytes (UTF-8 safe) with a marker saying how much was cut. */
export function clip(text: string, secrets: readonly string[], limit = OUTPUT_LIMIT): string {
  const masked = maskSecrets(text, secrets);
  const buf = Buffer.from(masked, 'utf8');
  if (buf.length <= limit) return masked;
  // Do not cut inside a multi-byte character.
  let end = limit;
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return `${buf.subarray(0, end).toString('utf8')}\n… [${buf.length - end} more bytes cut]`;
}

/** A step as events and plans show it: masked, or hidden entirely under no_log. */
export function plannedStep(step: Step, secrets: readonly string[], noLog: boolean, become: boolean): PlannedStep {
  const all = step.kind === 'exec' && step.secrets?.length ? [...secrets, ...step.secrets] : secrets;
  const text = noLog ? NO_LOG_TEXT : maskSecrets(stepText(step), all);
  const out: PlannedStep = { kind: step.kind, text };
  if (step.description && !noLog) out.description = maskSecrets(step.description, all);
  if ('destructive' in step && step.destructive) out.destructive = maskSecrets(step.destructive, all);
  const b = step.kind === 'exec' ? (step.become ?? become) : step.kind === 'put' ? become : undefined;
  if (b) out.become = true;
  return out;
}

function stepText(step: Step): string {
  switch (step.kind) {
    case 'exec':
      return step.cmd;
    case 'put': {
      const extra = [
        step.mode !== undefined ? `mode ${step.mode.toString(8).padStart(4, '0')}` : '',
        step.owner ? `owner ${step.owner}` : '',
        step.group ? `group ${step.group}` : '',
      ].filter(Boolean);
      return `put ${step.dest}${extra.length ? ` (${extra.join(', ')})` : ''}`;
    }
    case 'get':
      return `get ${step.src} -> ${step.dest}`;
  }
}

/** Masks secrets in every string of a JSON-like value (for `item`, `msg` and diffs in events). */
export function maskDeep(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  return maskDeepWith(value, (t) => maskSecrets(t, secrets));
}

export { stepLabel };
