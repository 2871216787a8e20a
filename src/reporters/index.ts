import type { Reporter } from '../executor/events.js';
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
  secrets: readonly string[];
  verbose?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export function createReporter(c: ReporterChoice): Reporter {
  const env = c.env ?? process.env;
  const stdout = c.stdout ?? process.stdout;
  const stderr = c.stderr ?? process.stderr;
  const humanStream = c.json ? stderr : stdout;
  const reporters: Reporter[] = [];
  if (c.json) reporters.push(new NdjsonReporter(stdout, c.secrets));
  let kind = c.output;
  if (kind === 'auto') {
    const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false';
    kind = humanStream.isTTY && !ci && env.TERM !== 'dumb' ? 'listr' : 'plain';
  }
  const color = colorEnabled(humanStream, env);
  if (kind === 'listr') reporters.push(new ListrReporter(humanStream, color, c.secrets));
  else if (kind === 'plain')
    reporters.push(new PlainReporter({ out: humanStream, color, secrets: c.secrets, verbose: c.verbose }));
  return reporters.length === 1 ? (reporters[0] as Reporter) : new TeeReporter(reporters);
}
