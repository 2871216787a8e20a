/**
 * Host patterns (`hosts:` of a play, `--limit`), as Ansible reads them:
 *   names and groups; `all` / `*`; globs (`node*`, `etcd?`, `web[0-9]`); regexes `~etcd[12]$`;
 *   union `a:b` or `a,b`; intersection `&y`; exclusion `!x` (applied after every union, as Ansible does;
 *   a pattern of only `&`/`!` parts starts from `all`); subscripts `group[0]`, `group[-1]`, `group[0:2]`
 *   (when the part before the brackets is a group or host, else the brackets are a glob class);
 *   `@file` — one pattern a line (blank lines and `#` comments skipped).
 * The result is in inventory order (the order hosts were first declared; `opts.order` gives the other
 * orders of a play's `order:` keyword). A subscript counts in group order (see `hostsOfGroup`). A plain name that is neither a group nor a host is an error (with
 * the nearest name as a hint) — also after `!`, where a typo would otherwise silently exclude nothing.
 * `localhost` / `127.0.0.1` / `::1` not in the inventory is Ansible's implicit localhost (the controller),
 * selected only by its name and placed after the inventory's hosts.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LifeboatError, nearest, type SourceRef } from '../errors.js';
import { globToRegExp } from '../glob.js';
import type { Inventory } from './types.js';
import { hostsOfGroup, isImplicitLocalhost } from './vars.js';

export interface PatternOptions {
  /** An empty result is an error (E_PATTERN) too. */
  strict?: boolean;
  /** A name that is no host or group: as Ansible's plays ("Could not match supplied host pattern, ignoring"),
   * reported here and matching nothing, instead of an error. */
  onUnknown?: (name: string, hint: string) => void;
  /** Directory `@file` paths are relative to (default: the working directory). */
  baseDir?: string;
  /** Where the pattern was written, for error messages. */
  src?: SourceRef;
  /** As a play's `order:` keyword; default `inventory`. */
  order?: HostOrder;
}

export type HostOrder = 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';

export function orderHosts(hosts: string[], order: HostOrder = 'inventory'): string[] {
  const out = [...hosts];
  switch (order) {
    case 'inventory':
      return out;
    case 'reverse_inventory':
      return out.reverse();
    case 'sorted':
      return out.sort();
    case 'reverse_sorted':
      return out.sort().reverse();
    case 'shuffle':
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [out[i], out[j]] = [out[j] as string, out[i] as string];
      }
      return out;
  }
}

const SUBSCRIPT = /^(.+)\[(?:(-?\d+)|(\d+)([:-])(\d+)?)\]$/;
const GLOB = /[*?[]/;

/**
 * Split `a:b,!c` into parts, keeping `[...]` (ranges, subscripts, classes) whole. Colon-separated pieces
 * that together name a host (`isHost`: an IPv6 address such as fe80::1) stay one part.
 */
export function splitPattern(pattern: string, isHost: (name: string) => boolean = () => false): string[] {
  const p = pattern.trim();
  if (p.includes(',')) return p.split(',').map((s) => s.trim()).filter(Boolean);
  const pieces: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of p) {
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    if (c === ':' && depth === 0) {
      pieces.push(cur);
      cur = '';
    } else cur += c;
  }
  pieces.push(cur);
  const parts: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    let taken = 1;
    for (let j = pieces.length; j > i + 1; j--) {
      if (isHost(pieces.slice(i, j).join(':').trim().replace(/^[!&]/, ''))) {
        taken = j - i;
        break;
      }
    }
    parts.push(pieces.slice(i, i + taken).join(':'));
    i += taken - 1;
  }
  return parts.map((s) => s.trim()).filter(Boolean);
}

class Resolver {
  private readonly names: string[];
  constructor(
    private readonly inv: Inventory,
    private readonly pattern: string,
    private readonly opts: PatternOptions,
  ) {
    this.names = [...inv.groups.keys(), ...inv.order];
  }

  error(message: string, hint: string): LifeboatError {
    return new LifeboatError('E_PATTERN', message, { hint, ...(this.opts.src ? { src: this.opts.src } : {}) });
  }

  /** Replace `@file` parts by the patterns in the file. */
  expandFiles(parts: string[]): string[] {
    const out: string[] = [];
    for (const part of parts) {
      const m = /^([!&]?)@(.+)$/.exec(part);
      if (!m) {
        out.push(part);
        continue;
      }
      const file = isAbsolute(m[2] as string) ? (m[2] as string) : resolve(this.opts.baseDir ?? '.', m[2] as string);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw this.error(`cannot read host list file "${m[2]}" in pattern "${this.pattern}": ${(e as Error).message}`, 'give a file of host names, one a line, e.g. --limit @failed.txt');
      }
      for (const line of text.split(/\r?\n/)) {
        const t = line.trim();
        if (t && !t.startsWith('#')) out.push(`${m[1]}${t}`);
      }
    }
    return out;
  }

  /** The hosts one part (without its `!` / `&`) matches, as a set. */
  match(part: string): Set<string> {
    if (part === 'all' || part === '*') return new Set(this.inv.order);
    if (part.startsWith('~')) {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${part.slice(1)})`);
      } catch (e) {
        throw this.error(`bad regular expression "${part}" in pattern "${this.pattern}": ${(e as Error).message}`, 'after "~" write a regular expression, e.g. ~etcd[0-9]+');
      }
      return this.matching((n) => re.test(n), true);
    }
    const sub = SUBSCRIPT.exec(part);
    if (sub && this.names.includes(sub[1] as string)) {
      const hosts = [...this.match(sub[1] as string)];
      return new Set(this.subscript(hosts, sub, part));
    }
    if (this.inv.groups.has(part)) return new Set(hostsOfGroup(this.inv, part));
    if (this.inv.hosts.has(part) || isImplicitLocalhost(this.inv, part)) return new Set([part]);
    if (!GLOB.test(part)) {
      const near = nearest(part, this.names);
      if (this.opts.onUnknown) {
        this.opts.onUnknown(part, near ? `did you mean "${near}"?` : 'see the names with `lifeboat inventory --graph`');
        return new Set();
      }
      throw this.error(
        `no host or group named "${part}" in the inventory (pattern "${this.pattern}")`,
        near ? `did you mean "${near}"?` : 'see the names with `lifeboat inventory --graph`',
      );
    }
    const re = globToRegExp(part);
    return this.matching((n) => re.test(n), true);
  }

  /** Groups matching `test` (their hosts), and hosts matching it too when `hostsToo` or no group matched. */
  private matching(test: (name: string) => boolean, hostsToo: boolean): Set<string> {
    const out = new Set<string>();
    let groups = 0;
    for (const g of this.inv.groups.keys()) {
      if (!test(g)) continue;
      groups++;
      for (const h of hostsOfGroup(this.inv, g)) out.add(h);
    }
    if (hostsToo || groups === 0) for (const h of this.inv.order) if (test(h)) out.add(h);
    return out;
  }

  private subscript(hosts: string[], m: RegExpExecArray, part: string): string[] {
    const [, base, idx, start, , end] = m;
    const n = hosts.length;
    if (idx !== undefined) {
      const i = Number(idx) < 0 ? n + Number(idx) : Number(idx);
      const h = hosts[i];
      if (h === undefined) {
        throw this.error(`"${part}": "${base}" has ${n} host(s), so [${idx}] is out of range`, `use an index from 0 to ${n - 1} (or -1 for the last)`);
      }
      return [h];
    }
    const s = Number(start);
    const e = end === undefined ? n - 1 : Number(end);
    return hosts.slice(s, e + 1);
  }

  resolve(): string[] {
    if (!this.pattern.trim()) throw this.error('empty host pattern', 'name hosts or groups, or "all"');
    const isHost = (name: string) => this.inv.hosts.has(name) || isImplicitLocalhost(this.inv, name);
    const parts = this.expandFiles(splitPattern(this.pattern, isHost));
    const regular = parts.filter((p) => !p.startsWith('!') && !p.startsWith('&'));
    const inter = parts.filter((p) => p.startsWith('&')).map((p) => p.slice(1));
    const excl = parts.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    let result = new Set<string>();
    for (const p of regular.length ? regular : ['all']) for (const h of this.match(p)) result.add(h);
    for (const p of inter) {
      const m = this.match(p);
      result = new Set([...result].filter((h) => m.has(h)));
    }
    for (const p of excl) for (const h of this.match(p)) result.delete(h);
    const implicit = [...result].filter((h) => isImplicitLocalhost(this.inv, h));
    const hosts = orderHosts([...this.inv.order.filter((h) => result.has(h)), ...implicit], this.opts.order);
    if (this.opts.strict && hosts.length === 0) {
      throw this.error(`host pattern "${this.pattern}" matches no hosts`, 'check it with `lifeboat inventory --graph`, or widen the pattern / --limit');
    }
    return hosts;
  }
}

/** The hosts `pattern` selects, in inventory order. Throws `LifeboatError('E_PATTERN')`. */
export function resolvePattern(inv: Inventory, pattern: string, opts: PatternOptions = {}): string[] {
  return new Resolver(inv, pattern, opts).resolve();
}
