import type { SecretSet } from '../secrets.js';
import type { Step } from '../modules/types.js';
import type { PlannedStep } from './events.js';
import { OUTPUT_LIMIT } from './options.js';

export const NO_LOG_TEXT = 'the output has been hidden due to no_log: true';

/** Masks every secret, then cuts the text to `limit` bytes (UTF-8 safe) with a marker saying how much was cut. */
export function clip(text: string, secrets: SecretSet, limit = OUTPUT_LIMIT): string {
  const masked = secrets.mask(text);
  const buf = Buffer.from(masked, 'utf8');
  if (buf.length <= limit) return masked;
  // Do not cut inside a multi-byte character.
  let end = limit;
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return `${buf.subarray(0, end).toString('utf8')}\n… [${buf.length - end} more bytes cut]`;
}

/**
 * A step as events and plans show it: masked, or hidden entirely under no_log. The step's own secrets join
 * the run's set, so they are masked wherever else they appear too.
 */
export function plannedStep(step: Step, secrets: SecretSet, noLog: boolean, become: boolean): PlannedStep {
  if (step.kind === 'exec') for (const s of step.secrets ?? []) secrets.add(s);
  const text = noLog ? NO_LOG_TEXT : secrets.mask(stepText(step));
  const out: PlannedStep = { kind: step.kind, text };
  if (step.description && !noLog) out.description = secrets.mask(step.description);
  if ('destructive' in step && step.destructive) out.destructive = secrets.mask(step.destructive);
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
