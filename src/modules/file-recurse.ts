import { shellQuote } from '../connection/quote.js';
import { probe } from './common.js';
import { applySymbolic } from './mode.js';
import type { ModuleContext } from './types.js';

/** Probes for `file` with `recurse: true`: does anything under a directory still need changing? */

/** Does anything under `path` match the find test (e.g. a wrong owner)? */
export async function recursiveDiffers(ctx: ModuleContext<unknown>, path: string, test: string): Promise<boolean> {
  const r = await probe(ctx, `find ${shellQuote(path)} ${test} -print -quit 2>/dev/null`);
  return r.stdout.trim() !== '';
}

/** Would `chmod -R <symbolic>` change any mode under `path`? (Reads every mode once: `find -printf`.) */
export async function symbolicDiffers(ctx: ModuleContext<unknown>, path: string, text: string): Promise<boolean> {
  const r = await probe(ctx, `find ${shellQuote(path)} -printf '%m %y\\n' 2>/dev/null`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .some((line) => {
      const [m = '0', t = 'f'] = line.split(' ');
      const cur = Number.parseInt(m, 8);
      return t !== 'l' && applySymbolic(cur, text, t === 'd') !== cur;
    });
}
