import { LifeboatError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { RenderOptions, Where } from './types.js';
import { lazyMap } from './lazy.js';
import { LAZY, isLazy, isPlainMapping } from './plain.js';
import { Undefined, whereOpts } from './undefined.js';

export { LAZY, isLazy, isPlainMapping };

/** How deep variables may refer to variables before we call it a loop. */
export const MAX_VAR_DEPTH = 40;

/** Per-render state: the variables, where we are (for errors), and the chain of variables being resolved. */
export interface State {
  ctx: Vars;
  where: Where;
  chain: string[];
  opts: RenderOptions;
  /** Renders a variable's raw value (strings, lists, maps) in this state. */
  renderRaw: (raw: unknown, state: State) => unknown;
}

/** True when a raw value needs rendering (holds a template somewhere). */
export function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%') || v.includes('{#');
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (isPlainMapping(v)) return Object.values(v).some(hasTemplate);
  return false;
}

/**
 * Set (by layeredVars) on a Vars object: names whose values are never rendered again — gathered facts,
 * registered results and set_fact values, magic and loop variables (Ansible's "unsafe"): command output
 * that happens to contain `{{` is data, not a template.
 */
export const UNSAFE_KEYS = Symbol.for('lifeboat.vars.unsafe');

export function unsafeKeys(ctx: Vars): ReadonlySet<string> | undefined {
  return (ctx as Record<symbol, ReadonlySet<string> | undefined>)[UNSAFE_KEYS];
}

/** A deep copy of plain lists and maps (templates may call `list.append`; the variables must not change). */
export function copyDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyDeep);
  if (isPlainMapping(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyDeep(x);
    return out;
  }
  return v;
}

const LITERALS: Record<string, unknown> = {
  True: true,
  False: false,
  None: null,
  true: true,
  false: false,
  none: null,
};

/** Local variables of a template (`{% set %}`, loop variables), chained to the outer scope, then to ctx. */
export class Scope {
  private readonly vars = new Map<string, unknown>();
  constructor(
    readonly state: State,
    private readonly parent?: Scope,
  ) {}

  child(): Scope {
    return new Scope(this.state, this);
  }

  set(name: string, value: unknown): void {
    this.vars.set(name, value);
  }

  lookup(name: string, globals: Record<string, unknown>): unknown {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
    if (Object.hasOwn(LITERALS, name)) return LITERALS[name];
    const ctx = this.state.ctx;
    if (Object.hasOwn(ctx, name) && ctx[name] !== undefined) {
      if (unsafeKeys(ctx)?.has(name)) return copyDeep(ctx[name]);
      return resolveVar(this.state, name, ctx[name]);
    }
    if (Object.hasOwn(globals, name)) return globals[name];
    if (name === 'vars') return this.varsMap();
    return new Undefined(name, this.names());
  }

  /** Ansible's `vars`: every variable by name (`vars['etcd_' ~ role]`), each rendered on access. */
  private varsMap(): Record<string, unknown> {
    const ctx = this.state.ctx;
    const has = (k: string) => Object.hasOwn(ctx, k) && ctx[k] !== undefined;
    return lazyMap(
      () => Object.keys(ctx).filter(has),
      has,
      (k) => this.lookup(k, {}),
    );
  }

  names(): string[] {
    const out = Object.keys(this.state.ctx);
    for (let s: Scope | undefined = this; s; s = s.parent) out.push(...s.vars.keys());
    return out;
  }
}

function resolveVar(state: State, name: string, raw: unknown): unknown {
  if (!hasTemplate(raw)) return copyDeep(raw);
  if (state.chain.includes(name)) {
    const loop = [...state.chain.slice(state.chain.indexOf(name)), name].join(' → ');
    throw new LifeboatError(
      'E_TEMPLATE',
      `variable '${name}' refers to itself (${loop})`,
      whereOpts(
        state.where,
        `give one of ${loop.split(' → ').slice(0, -1).join(', ')} a value that does not depend on the others`,
      ),
    );
  }
  if (state.chain.length >= MAX_VAR_DEPTH)
    throw new LifeboatError(
      'E_TEMPLATE',
      `variables refer to variables more than ${MAX_VAR_DEPTH} levels deep (${state.chain.join(' → ')})`,
      whereOpts(state.where),
    );
  state.chain.push(name);
  try {
    return state.renderRaw(raw, state);
  } finally {
    state.chain.pop();
  }
}
