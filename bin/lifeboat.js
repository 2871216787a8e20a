#!/usr/bin/env node
// Node's deprecation notices are for Lifeboat's developers, not its users (the tests still show them): the one
// users would meet is grpc's TLS ServerName set to a member's IP address (the etcd3 client over an SSH tunnel).
process.noDeprecation = true;
const { runCli } = await import('../dist/cli/main.js');

runCli(process.argv.slice(2));
