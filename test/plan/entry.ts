// The CLI as bin/lifeboat.js runs it, but from the sources (no build needed): node --import tsx test/plan/entry.ts …
import { main } from '../../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`lifeboat: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 70;
  },
);
