/**
 * Collects hosts, groups and variables from every inventory source, then builds the `Inventory`:
 * `all` holds every host, `ungrouped` the hosts in no other group, `all.children` the top-level groups.
 * Child-group cycles are reported (at the `children` entry that closes the cycle) and cut.
 */
import { LifeboatError, type SourceRef } from '../errors.js';
import type { Inventory, InventoryGroup, InventoryHost, Vars } from './types.js';

interface GroupDraft {
  name: string;
  hosts: Set<string>;
  children: Set<string>;
  inline: Vars;
  files: Vars;
  src?: SourceRef;
}

interface HostDraft {
  name: string;
  inline: Vars;
  files: Vars;
  src?: SourceRef;
}

export type VarsLayer = 'inline' | 'files';

export class InventoryBuilder {
  private readonly groupDrafts = new Map<string, GroupDraft>();
  private readonly hostDrafts = new Map<string, HostDraft>();
  private readonly edges = new Map<string, SourceRef | undefined>();
  readonly sources: string[] = [];

  constructor() {
    this.group('all');
    this.group('ungrouped');
  }

  hasGroup(name: string): boolean {
    return this.groupDrafts.has(name);
  }

  hasHost(name: string): boolean {
    return this.hostDrafts.has(name);
  }

  groupNames(): string[] {
    return [...this.groupDrafts.keys()];
  }

  hostNames(): string[] {
    return [...this.hostDrafts.keys()];
  }

  addSource(file: string): void {
    if (!this.sources.includes(file)) this.sources.push(file);
  }

  /** Declare a group (again is fine: declarations merge). */
  group(name: string, src?: SourceRef): void {
    const g = this.groupDrafts.get(name);
    if (!g) this.groupDrafts.set(name, { name, hosts: new Set(), children: new Set(), inline: {}, files: {}, src });
    else if (!g.src && src) g.src = src;
  }

  /** Declare a host, in `group` when given. */
  host(name: string, group: string | undefined, src?: SourceRef): void {
    const h = this.hostDrafts.get(name);
    if (!h) this.hostDrafts.set(name, { name, inline: {}, files: {}, src });
    else if (!h.src && src) h.src = src;
    if (group !== undefined && group !== 'all') {
      this.group(group);
      this.groupDrafts.get(group)?.hosts.add(name);
    }
  }

  child(parent: string, child: string, src?: SourceRef): void {
    this.group(parent);
    this.group(child, src);
    this.groupDrafts.get(parent)?.children.add(child);
    const key = `${parent}\u0000${child}`;
    if (!this.edges.has(key)) this.edges.set(key, src);
  }

  /** Merge `vars` into a group's variables (later keys win). */
  groupVars(name: string, vars: Vars, layer: VarsLayer): void {
    this.group(name);
    const g = this.groupDrafts.get(name) as GroupDraft;
    Object.assign(g[layer], vars);
  }

  hostVars(name: string, vars: Vars, layer: VarsLayer): void {
    const h = this.hostDrafts.get(name);
    if (h) Object.assign(h[layer], vars);
  }

  /** The inventory, and the errors found while linking it (child-group cycles). */
  build(): { inventory: Inventory; errors: LifeboatError[] } {
    const errors = this.cutCycles();
    const groups = new Map<string, InventoryGroup>();
    const hosts = new Map<string, InventoryHost>();
    const order = [...this.hostDrafts.keys()];
    for (const h of this.hostDrafts.values()) {
      hosts.set(h.name, {
        name: h.name,
        vars: { ...h.inline, ...h.files },
        varLayers: { inline: { ...h.inline }, files: { ...h.files } },
        ...(h.src ? { src: h.src } : {}),
      });
    }
    const hasParent = new Set<string>();
    for (const g of this.groupDrafts.values()) {
      if (g.name !== 'all') for (const c of g.children) hasParent.add(c);
    }
    const grouped = new Set<string>();
    for (const g of this.groupDrafts.values()) {
      if (g.name === 'all' || g.name === 'ungrouped') continue;
      for (const h of g.hosts) grouped.add(h);
    }
    for (const g of this.groupDrafts.values()) {
      let ghosts = new Set(g.hosts);
      let children = new Set(g.children);
      if (g.name === 'all') {
        ghosts = new Set(order);
        // as Ansible: `ungrouped`, the groups named as children of `all`, then the other top-level groups
        const top = [...this.groupDrafts.keys()].filter((n) => n !== 'all' && n !== 'ungrouped' && !hasParent.has(n));
        children = new Set(['ungrouped', ...g.children, ...top]);
      } else if (g.name === 'ungrouped') {
        // as Ansible: hosts listed under [ungrouped] (or before any section) first, then the others
        ghosts = new Set([...g.hosts, ...order].filter((h) => !grouped.has(h)));
      }
      groups.set(g.name, {
        name: g.name,
        hosts: ghosts,
        children,
        vars: { ...g.inline, ...g.files },
        varLayers: { inline: { ...g.inline }, files: { ...g.files } },
        ...(g.src ? { src: g.src } : {}),
      });
    }
    return { inventory: { hosts, groups, order, sources: [...this.sources] }, errors };
  }

  /** Find child-group cycles (and `all` used as a child), report each, and drop the closing edge. */
  private cutCycles(): LifeboatError[] {
    const errors: LifeboatError[] = [];
    for (const g of this.groupDrafts.values()) {
      if (g.children.has('all')) {
        g.children.delete('all');
        errors.push(
          new LifeboatError('E_INVENTORY', `group "all" cannot be a child of group "${g.name}"`, {
            ...this.edgeSrc(g.name, 'all'),
            hint: 'every group is already inside "all"; remove this children entry',
          }),
        );
      }
    }
    const state = new Map<string, 'active' | 'done'>();
    const stack: string[] = [];
    const visit = (name: string): void => {
      state.set(name, 'active');
      stack.push(name);
      const g = this.groupDrafts.get(name) as GroupDraft;
      for (const c of [...g.children]) {
        const s = state.get(c);
        if (s === 'active') {
          const loop = [...stack.slice(stack.indexOf(c)), c];
          g.children.delete(c);
          errors.push(
            new LifeboatError('E_INVENTORY', `child group cycle: ${loop.join(' → ')}`, {
              ...this.edgeSrc(name, c),
              hint: `a group cannot contain itself; remove "${c}" from the children of "${name}" (or the reverse entry)`,
            }),
          );
        } else if (s === undefined) visit(c);
      }
      stack.pop();
      state.set(name, 'done');
    };
    for (const name of this.groupDrafts.keys()) if (!state.has(name)) visit(name);
    return errors;
  }

  private edgeSrc(parent: string, child: string): { src?: SourceRef } {
    const src = this.edges.get(`${parent}\u0000${child}`);
    return src ? { src } : {};
  }
}
