#!/usr/bin/env node
// Node's deprecation notices are for Lifeboat's developers, not its users (the tests still show them): the one
// users would meet is grpc's TLS ServerName set to a member's IP address (the etcd3 client over an SSH tunnel).
process.noDeprecation = true;
// The bundle `npm run build` makes (scripts/bundle.ts) starts faster; tsc's output alone runs too.
const entry = await import('../dist/bundle/main.js').catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/bundle/main.js')) return import('../dist/cli/main.js');
  throw err;
});

entry.runCli(process.argv.slice(2));
