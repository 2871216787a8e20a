import { LifeboatError } from '../../errors.js';
import { probe } from '../common.js';
import type { ModuleDef, Probe } from '../types.js';
import {
  type FlagMap,
  configFromFlags,
  envToFlags,
  flagsFromConfigYaml,
  flagsFromEnvFile,
  flagsFromStaticPod,
  parseArgv,
  parseSystemdUnit,
  unitFlags,
} from './config-parse.js';
import { DEFAULT_CONFIG_FILES, DEFAULT_PID_FILES, type ProbeRecord, parseProbe, probe2Script, probeScript } from './facts-probe.js';
import type { ConfigSource, EtcdFacts, ToolInfo } from './types.js';
import { parseVersion } from './version.js';

export interface EtcdFactsArgs {
  pid_file?: string;
  bin_dir?: string;
  config_file?: string;
}

interface Discovered {
  flags: FlagMap;
  source: ConfigSource;
  files: string[];
  pid?: number;
  exeVersion?: string;
  warnings: string[];
  /** Files to read in a second probe before the flags are complete. */
  pending: string[];
}

function pickProcess(recs: ProbeRecord[]): { rec: ProbeRecord; pid: number; warnings: string[] } | undefined {
  const procs = recs.filter((r) => r.kind === 'proc');
  if (!procs.length) return undefined;
  const pidOf = (r: ProbeRecord) => Number(/:(\d+):/.exec(r.arg)?.[1]);
  const unique = new Map<number, ProbeRecord>();
  for (const r of procs) if (!unique.has(pidOf(r)) || r.arg.startsWith('pidfile:')) unique.set(pidOf(r), r);
  const all = [...unique.values()];
  const byPidFile = all.filter((r) => r.arg.startsWith('pidfile:'));
  const sameMnt = all.filter((r) => r.arg.endsWith(':same'));
  const chosen = byPidFile[0] ?? sameMnt[0] ?? all[0];
  if (!chosen) return undefined;
  const warnings =
    all.length > 1
      ? [`${all.length} etcd processes in this host's network namespace (pids ${[...unique.keys()].join(', ')}); using ${pidOf(chosen)}`]
      : [];
  return { rec: chosen, pid: pidOf(chosen), warnings };
}

/** Works out the flags from the first probe; says which files must still be read. */
export function discover(recs: ProbeRecord[], files2: Map<string, string> = new Map()): Discovered {
  const files = new Map(recs.filter((r) => r.kind === 'file').map((r) => [r.arg, r.content] as const));
  for (const [k, v] of files2) files.set(k, v);
  const proc = pickProcess(recs);
  const systemd = recs.some((r) => r.kind === 'init' && r.arg === 'systemd');
  if (proc) {
    const argv = proc.rec.content.split('\n').filter((l) => l !== '');
    const flags = parseArgv(argv.slice(1));
    const envRec = recs.find((r) => r.kind === 'environ' && r.arg === String(proc.pid));
    const env: Record<string, string> = {};
    for (const l of (envRec?.content ?? '').split('\n')) {
      const eq = l.indexOf('=');
      if (eq > 0) env[l.slice(0, eq)] = l.slice(eq + 1);
    }
    const exeVersion = recs.find((r) => r.kind === 'exeversion' && r.arg === String(proc.pid))?.content;
    const base = { pid: proc.pid, warnings: proc.warnings, ...(exeVersion ? { exeVersion } : {}) };
    const cfg = flags['config-file'] ?? env.ETCD_CONFIG_FILE;
    if (cfg) {
      const text = files.get(cfg);
      if (text === undefined) return { ...base, flags: {}, source: 'config-file', files: [cfg], pending: [cfg] };
      return { ...base, flags: flagsFromConfigYaml(text), source: 'config-file', files: [cfg], pending: [] };
    }
    return { ...base, flags: { ...envToFlags(env), ...flags }, source: 'process', files: [`/proc/${proc.pid}/cmdline`], pending: [] };
  }
  for (const f of DEFAULT_CONFIG_FILES) {
    const text = files.get(f);
    if (text === undefined) continue;
    if (/\/manifests[^/]*\/etcd\.yaml$/.test(f)) return done(flagsFromStaticPod(text), 'static-pod', [f]);
    if (f.endsWith('.service')) {
      if (!systemd) continue; // units only matter where systemd runs the services
      const unit = parseSystemdUnit(text, f.replace(/^.*\//, '').replace(/\.service$/, ''));
      const missing = unit.envFiles.filter((e) => !files.has(e));
      if (missing.length && files2.size === 0) return { flags: {}, source: 'systemd-unit', files: [f], warnings: [], pending: missing };
      let flags = unitFlags(unit, unit.envFiles.map((e) => files.get(e) ?? ''));
      const cfg = flags['config-file'];
      if (cfg && files.get(cfg) !== undefined) flags = flagsFromConfigYaml(files.get(cfg) as string);
      else if (cfg && files2.size === 0) return { flags: {}, source: 'config-file', files: [f, cfg], warnings: [], pending: [cfg] };
      return done(flags, 'systemd-unit', [f, ...unit.envFiles.filter((e) => files.get(e))]);
    }
    if (/^\s*(export\s+)?[A-Z_]+=/m.test(text)) return done(flagsFromEnvFile(text), 'env-file', [f]);
    return done(flagsFromConfigYaml(text), 'config-file', [f]);
  }
  return done({}, 'none', []);
}

function done(flags: FlagMap, source: ConfigSource, files: string[]): Discovered {
  return { flags, source, files, warnings: [], pending: [] };
}

function tools(recs: ProbeRecord[]): Partial<Record<'etcd' | 'etcdctl' | 'etcdutl', ToolInfo>> {
  const out: Partial<Record<'etcd' | 'etcdctl' | 'etcdutl', ToolInfo>> = {};
  for (const r of recs.filter((x) => x.kind === 'tool')) {
    const [path, vline] = r.content.split('\n');
    const v = parseVersion(vline);
    if (path && (r.arg === 'etcd' || r.arg === 'etcdctl' || r.arg === 'etcdutl')) {
      out[r.arg] = { path, version: v ? `${v.major}.${v.minor}.${v.patch}` : 'unknown' };
    }
  }
  return out;
}

export const etcdFactsModule: ModuleDef<EtcdFactsArgs> = {
  name: 'etcd_facts',
  summary: "Discover a host's etcd: effective flags (process, unit, env file, static pod), tools and versions",
  schema: {
    type: 'object',
    properties: { pid_file: { type: 'string' }, bin_dir: { type: 'string' }, config_file: { type: 'string' } },
    additionalProperties: false,
  },
  async plan(ctx) {
    const facts = await gatherFacts(ctx, ctx.args);
    return {
      changed: false,
      steps: [],
      result: { changed: false, ansible_facts: { etcd_facts: facts as unknown as Record<string, unknown> } },
      notes: [`etcd ${facts.running ? `running (pid ${facts.pid})` : 'not running'}; config from ${facts.source}`],
    };
  },
};

/** Reads a host's etcd facts (read-only probes). */
export async function gatherFacts(p: Probe, args: EtcdFactsArgs = {}): Promise<EtcdFacts> {
  const ctx = { conn: { exec: (cmd: string) => probe(p, cmd) }, args, host: p.host };
  {
    const pidFiles = ctx.args.pid_file ? [ctx.args.pid_file, ...DEFAULT_PID_FILES] : DEFAULT_PID_FILES;
    const cfgFiles = ctx.args.config_file ? [ctx.args.config_file, ...DEFAULT_CONFIG_FILES] : DEFAULT_CONFIG_FILES;
    const r1 = await ctx.conn.exec(probeScript(pidFiles, cfgFiles, ctx.args.bin_dir ? [ctx.args.bin_dir] : []));
    if (r1.rc !== 0) {
      throw new LifeboatError('E_TASK', `etcd_facts probe failed (rc ${r1.rc}): ${r1.stderr.trim()}`, { host: ctx.host });
    }
    const recs = parseProbe(r1.stdout);
    let d = discover(recs);
    const dataDirGuess = d.pending.length ? undefined : configFromFlags(d.flags).data_dir;
    const r2 = await ctx.conn.exec(probe2Script(d.pending, dataDirGuess));
    let recs2 = parseProbe(r2.stdout);
    if (d.pending.length) {
      const got = new Map(recs2.filter((r) => r.kind === 'file').map((r) => [r.arg, r.content] as const));
      for (const p of d.pending) if (!got.has(p)) got.set(p, '');
      d = discover(recs, got);
      const r3 = await ctx.conn.exec(probe2Script([], configFromFlags(d.flags).data_dir));
      recs2 = parseProbe(r3.stdout);
    }
    const config = configFromFlags(d.flags);
    const t = tools(recs);
    const dd = recs2.find((r) => r.kind === 'datadir' && r.arg === 'exists');
    const facts: EtcdFacts = {
      config,
      source: d.source,
      source_files: d.files,
      running: d.pid !== undefined,
      ...(d.pid !== undefined ? { pid: d.pid } : {}),
      ...(() => {
        const v = parseVersion(d.exeVersion) ?? parseVersion(t.etcd?.version);
        return v ? { version: `${v.major}.${v.minor}.${v.patch}` } : {};
      })(),
      ...t,
      data_dir_exists: dd !== undefined,
      data_dir_mountpoint: recs2.some((r) => r.kind === 'datadir' && r.arg === 'mountpoint'),
      ...(dd?.content ? { data_dir_owner: dd.content } : {}),
      warnings: d.warnings,
    };
    if (d.source === 'none') facts.warnings.push('no running etcd and no etcd configuration found on this host');
    return facts;
  }
}
