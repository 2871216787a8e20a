import type { ModuleDef } from './types.js';

/**
 * All modules by canonical short name. Generic modules register in ./index.ts, etcd ones in ./etcd/index.ts.
 * Fully-qualified names (`ansible.builtin.command`, `ansible.legacy.command`, `lifeboat.builtin.command`,
 * `kubernetes.core.helm`) map onto the short name.
 */
const registry = new Map<string, ModuleDef<never>>();

export function registerModule<A>(def: ModuleDef<A>): void {
  if (registry.has(def.name)) throw new Error(`module ${def.name} registered twice`);
  registry.set(def.name, def as unknown as ModuleDef<never>);
}

const FQCN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.', 'ansible.posix.', 'community.general.', 'kubernetes.core.', 'lifeboat.builtin.', 'lifeboat.etcd.'];

export function canonicalModuleName(name: string): string {
  for (const p of FQCN_PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

export function getModule(name: string): ModuleDef<Record<string, unknown>> | undefined {
  return registry.get(canonicalModuleName(name)) as ModuleDef<Record<string, unknown>> | undefined;
}

export function moduleNames(): string[] {
  return [...registry.keys()].sort();
}
