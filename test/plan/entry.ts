// The CLI as bin/lifeboat.js runs it, but from the sources (no build needed): node --import tsx test/plan/entry.ts …
import { runCli } from '../../src/cli/main.js';

runCli(process.argv.slice(2));
