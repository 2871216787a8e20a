import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Lifeboat's version, from package.json at the package root. */
export function version(): string {
  if (!cached) {
    // dist/cli/version.js and the bundle's dist/bundle/*.js are both two levels below the package root.
    const url = new URL('../../package.json', import.meta.url);
    cached = (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  }
  return cached;
}
