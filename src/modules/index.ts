/**
 * Importing this file registers every module (each module file calls registerModule on import).
 * Generic modules live beside this file; etcd ones are registered by ./etcd/index.ts.
 */
import './etcd/index.js';
import './copy.js';
