import type { Reporter } from '../executor/events.js';
import type { MaskedWriter } from '../secrets.js';
import { colorEnabled } from './color.js';
import { ListrReporter } from './listr.js';
import { NdjsonReporter, TeeReporter } from './ndjson.js';
import { PlainReporter } from './plain.js';

export { CollectReporter, NdjsonReporter, TeeReporter } from './ndjson.js';
export { PlainReporter } from './plain.js';
export { ListrReporter } from './listr.js';

export interface ReporterChoice {
  /** --json: NDJSON events on stdout, the human view on stderr. */
  json: boolean;
  /** --output: force a human view. auto = listr2 on a TTY outside CI, plain lines otherwise. */
  output: 'auto' | 'listr' | 'plain' | 'none';
  verbose?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Standard output and error, each masking with the run's one SecretSet (reporters get no raw stream). */
  stdout: MaskedWriter;
  stderr: MaskedWriter;
}

export function createReporter(c: ReporterChoice): Reporter {
  const env = c.env ?? process.env;
  const humanStream = c.json ? c.stderr : c.stdout;
  const reporters: Reporter[] = [];
  if (c.json) reporters.push(new NdjsonReporter(c.stdout));
  let kind = c.output;
  if (kind === 'auto') {
    const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false';
    kind = humanStream.isTTY && !ci && env.TERM !== 'dumb' ? 'listr' : 'plain';
  }
  const color = colorEnabled(humanStream, env);
  if (kind === 'listr') reporters.push(new ListrReporter(humanStream, color));
  else if (kind === 'plain') reporters.push(new PlainReporter({ out: humanStream, color, verbose: c.verbose }));
  return reporters.length === 1 ? (reporters[0] as Reporter) : new TeeReporter(reporters);
}
