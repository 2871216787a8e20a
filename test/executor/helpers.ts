import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Connection } from '../../src/connection/types.js';
import { LifeboatError } from '../../src/errors.js';
import type { RunEvent, Reporter } from '../../src/executor/events.js';
import { type RunOptions, type RunSummary, runPlaybooks } from '../../src/executor/index.js';
import { loadInventory } from '../../src/inventory/index.js';
import '../../src/modules/index.js';
import { getModule, registerModule } from '../../src/modules/registry.js';
import type { ModuleDef } from '../../src/modules/types.js';
import { loadPlaybook } from '../../src/playbook/index.js';
import { FakeConnection } from '../modules/fake.js';
import { SecretSet } from '../../src/secrets.js';
import { scratchDir } from '../support/scratch.js';

/** Collects every event. */
export class Collect implements Reporter {
  readonly events: RunEvent[] = [];
  emit(ev: RunEvent): void {
    this.events.push(ev);
  }
  async close(): Promise<void> {}
  of<T extends RunEvent['type']>(type: T): Array<Extract<RunEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
  }
}

/** Fake connections, one per host; hosts in `down` refuse to connect (as an unreachable host does). */
export class FakePool {
  readonly conns = new Map<string, FakeConnection>();
  readonly down = new Set<string>();
  readonly opened: string[] = [];
  constructor(private readonly setup: (c: FakeConnection) => void = () => {}) {}
  conn(host: string): FakeConnection {
    let c = this.conns.get(host);
    if (!c) {
      c = new FakeConnection(host);
      this.setup(c);
      this.conns.set(host, c);
    }
    return c;
  }
  async get(host: string): Promise<Connection> {
    this.opened.push(host);
    if (this.down.has(host)) throw new LifeboatError('E_CONNECT', `cannot connect to ${host}: connection refused`, { host });
    return this.conn(host);
  }
  async closeAll(): Promise<void> {}
  execs(host: string): string[] {
    return this.conns.get(host)?.execs ?? [];
  }
}

export function tmpTree(files: Record<string, string>): string {
  const dir = scratchDir('lifeboat-exec-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const DEFAULT_INV = 'h1\nh2\nh3\n';

export interface RunResult {
  summary: RunSummary;
  ev: Collect;
  pool: FakePool;
}

/** Loads `playbook` (YAML text) with `files` beside it and runs it on fake connections. */
export async function runYaml(
  playbook: string,
  o: Partial<Omit<RunOptions, 'inventory' | 'playbooks' | 'connections' | 'reporter'>> & {
    inventory?: string;
    files?: Record<string, string>;
    pool?: FakePool;
  } = {},
): Promise<RunResult> {
  const dir = tmpTree({ 'site.yml': playbook, 'hosts.ini': o.inventory ?? DEFAULT_INV, ...(o.files ?? {}) });
  const inventory = await loadInventory([join(dir, 'hosts.ini')]);
  const pb = await loadPlaybook(join(dir, 'site.yml'));
  const pool = o.pool ?? new FakePool();
  const ev = new Collect();
  const { files: _f, inventory: _i, pool: _p, ...rest } = o;
  const summary = await runPlaybooks({
    inventory,
    playbooks: [pb],
    extraVars: {},
    forks: 20,
    check: false,
    diff: false,
    secrets: new SecretSet(),
    ...rest,
    connections: pool,
    reporter: ev,
  });
  return { summary, ev, pool };
}

/** Test-only modules (names start with xt_): small, predictable probes and controller actions. */
function ensure(def: ModuleDef): void {
  if (!getModule(def.name)) registerModule(def);
}

const obj = { type: 'object' };
ensure({
  name: 'xt_probe',
  summary: 'test: read-only probe of a path',
  schema: { ...obj, properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
  async plan(ctx) {
    const r = await ctx.conn.exec(`test -e ${String(ctx.args.path)}`);
    return { changed: false, steps: [], result: { changed: false, exists: r.rc === 0 } };
  },
});
ensure({
  name: 'xt_ensure',
  summary: 'test: create a path when missing',
  schema: { ...obj, properties: { path: { type: 'string' }, token: { type: 'string' } }, required: ['path'], additionalProperties: false },
  async plan(ctx) {
    const p = String(ctx.args.path);
    const r = await ctx.conn.exec(`test -e ${p}`);
    if (r.rc === 0) return { changed: false, steps: [] };
    const token = typeof ctx.args.token === 'string' ? ctx.args.token : undefined;
    return {
      changed: true,
      diff: [{ path: p, before: '', after: 'created\n' }],
      steps: [{ kind: 'exec', cmd: `touch ${p}${token ? ` --token=${token}` : ''}`, destructive: `replaces ${p}`, ...(token ? { secrets: [token] } : {}) }],
    };
  },
});
ensure({
  name: 'xt_facts',
  summary: 'test: return facts',
  controllerOnly: true,
  schema: { ...obj, properties: { facts: { type: 'object' } }, required: ['facts'] },
  async plan(ctx) {
    return { changed: false, steps: [], result: { changed: false, ansible_facts: ctx.args.facts as Record<string, unknown> } };
  },
});
ensure({
  name: 'xt_meta',
  summary: 'test: a controller action',
  controllerOnly: true,
  schema: { ...obj, properties: { do: { enum: ['flush_handlers', 'end_play', 'end_host'] } }, required: ['do'] },
  async plan(ctx) {
    return { changed: false, steps: [], result: { changed: false }, control: { kind: ctx.args.do as 'end_play' } };
  },
});
ensure({
  name: 'xt_msg',
  summary: 'test: like debug/fail',
  controllerOnly: true,
  schema: { ...obj, properties: { msg: {}, fail: { type: 'boolean' } }, required: ['msg'] },
  async plan(ctx) {
    return { changed: false, steps: [], result: { changed: false, msg: String(ctx.args.msg), ...(ctx.args.fail ? { failed: true } : {}) } };
  },
});
ensure({
  name: 'xt_survey',
  summary: 'test: looks at other hosts and reports the unreachable ones instead of failing (as etcd_status does)',
  controllerOnly: true,
  schema: { ...obj, properties: { hosts: { type: 'array', items: { type: 'string' } } }, required: ['hosts'] },
  async plan(ctx) {
    const down: string[] = [];
    for (const h of ctx.args.hosts as string[]) {
      try {
        await (await ctx.connect(h)).exec('true');
      } catch {
        down.push(h);
      }
    }
    return { changed: false, steps: [], result: { changed: false, msg: `unreachable: ${down.join(',') || 'none'}` } };
  },
});
