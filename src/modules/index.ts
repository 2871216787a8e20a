/**
 * Importing this file registers every module (each module file calls registerModule on import).
 * Generic modules live beside this file; etcd ones are registered by ./etcd/index.ts.
 */
import './etcd/index.js';
import './copy.js';
import './stat.js';
import './command.js';
import './shell.js';
import './script.js';
import './file.js';
