export { type ConnectionPool, type ConnectionPoolOptions, createConnectionPool } from './pool.js';
export { connectionSpecFor, DEFAULT_BECOME_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, type SpecOptions } from './spec.js';
export { LocalConnection } from './local-connection.js';
export { fingerprintSha256 } from './known-hosts.js';
export { shellJoin, shellQuote } from './quote.js';
export type { Connection, ConnectionSpec, ExecOptions, ExecResult, PutOptions } from './types.js';
export { putVerified, type VerifiedPut } from './put-verified.js';
