import type { Connection } from '../../src/connection/types.js';
import type { Vars } from '../../src/inventory/types.js';
import { applyOperation } from '../../src/modules/apply.js';
import { SecretSet } from '../../src/secrets.js';
import '../../src/modules/etcd/index.js';
import { getModule } from '../../src/modules/registry.js';
import type { ModuleResult } from '../../src/modules/types.js';
import type { Lab } from '../lab/index.js';
import { LabConnection } from './lab-conn.js';

/**
 * Runs etcd modules on lab hosts the way the executor does (module.plan(ctx) then applyOperation), with
 * variables shaped like the executor's (groups, hostvars, facts). Used by the module integration tests.
 */
export class ModuleHarness {
  readonly conns = new Map<string, Connection>();
  readonly hostvars: Record<string, Vars> = {};
  groups: Record<string, string[]>;

  constructor(
    readonly lab: Lab,
    readonly playbookDir: string,
    extraVars: (h: Lab['hosts'][number]) => Vars = () => ({}),
  ) {
    for (const h of lab.hosts) {
      this.hostvars[h.name] = { inventory_hostname: h.name, ansible_host: h.address, ...extraVars(h) };
    }
    this.groups = {
      all: lab.hosts.map((h) => h.name),
      etcd: lab.hosts.filter((h) => h.etcd).map((h) => h.name),
      kube_master: lab.hosts.filter((h) => h.master).map((h) => h.name),
    };
  }

  conn(host: string): Connection {
    let c = this.conns.get(host);
    if (!c) {
      c = new LabConnection(this.lab, host);
      this.conns.set(host, c);
    }
    return c;
  }

  vars(host: string): Vars {
    return { ...this.hostvars[host], groups: this.groups, hostvars: this.hostvars };
  }

  /** plan + apply, as the executor would; facts land in hostvars. */
  async run(module: string, host: string, args: Record<string, unknown>, opts: { check?: boolean } = {}): Promise<ModuleResult & { planned: string[] }> {
    const def = getModule(module);
    if (!def) throw new Error(`no module ${module}`);
    const ctx = {
      host,
      args,
      vars: this.vars(host),
      conn: this.conn(host),
      check: opts.check ?? false,
      become: false,
      playbookDir: this.playbookDir,
      connect: async (h: string) => this.conn(h),
    };
    const op = await def.plan(ctx);
    const planned = op.steps.map((s) => (s.kind === 'exec' ? s.cmd : `${s.kind} ${'dest' in s ? s.dest : ''}`));
    const res = opts.check || op.steps.length === 0 ? { changed: false, ...(op.result ?? {}) } : await applyOperation(op, ctx.conn, { become: false, secrets: new SecretSet() });
    const facts = (res as ModuleResult).ansible_facts;
    if (facts) Object.assign(this.hostvars[host] ?? {}, facts);
    return { ...(res as ModuleResult), planned };
  }

  async all(module: string, hosts: string[], args: (h: string) => Record<string, unknown>): Promise<Array<ModuleResult & { planned: string[] }>> {
    return Promise.all(hosts.map((h) => this.run(module, h, args(h))));
  }

  /** `service NAME ACTION` on every host, in parallel (init scripts of the lab). */
  async service(hosts: string[], name: string, action: 'start' | 'stop'): Promise<void> {
    const rs = await Promise.all(hosts.map((h) => this.conn(h).exec(`service ${name} ${action}`)));
    rs.forEach((r, i) => {
      if (r.rc !== 0) throw new Error(`service ${name} ${action} on ${hosts[i]}: ${r.stderr || r.stdout}`);
    });
  }
}
