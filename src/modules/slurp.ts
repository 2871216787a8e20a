import { shellQuote } from '../connection/quote.js';
import { pathArg, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * slurp — a remote file's content, base64-encoded (`content | b64decode` gives it back). Read-only, one probe; in a
 * plan too.
 *
 * Returns: content (base64), encoding ('base64'), source.
 */
export interface SlurpArgs {
  src?: string;
  path?: string;
}

export const slurpSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { src: { type: 'string', minLength: 1 }, path: { type: 'string', minLength: 1 } },
  anyOf: [{ required: ['src'] }, { required: ['path'] }],
};

export const slurpModule: ModuleDef<SlurpArgs> = {
  name: 'slurp',
  summary: "Read a remote file's content (base64)",
  schema: slurpSchema,
  async plan(ctx): Promise<Operation> {
    const src = pathArg('slurp', ctx, 'src');
    const q = shellQuote(src);
    const r = await probe(ctx, `if [ -d ${q} ]; then echo isdir; exit 3; fi; if [ ! -e ${q} ]; then exit 4; fi; base64 -w0 -- ${q}`);
    if (r.rc !== 0) {
      const msg = r.rc === 4 ? `file not found: ${src}` : r.rc === 3 ? `source is a directory and must be a file: ${src}` : `file is not readable: ${src} (${r.stderr.trim()})`;
      return { changed: false, steps: [], result: { changed: false, failed: true, msg } };
    }
    return { changed: false, steps: [], result: { changed: false, content: r.stdout.trim(), encoding: 'base64', source: src } };
  },
};

registerModule(slurpModule);
