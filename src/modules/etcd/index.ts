// Placeholder created by the generic-modules engineer so that src/modules/index.ts can import it.
// The etcd modules engineer owns this file: replace it with imports of the etcd module files.
export {};
