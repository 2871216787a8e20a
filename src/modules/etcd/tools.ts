import { shellJoin, shellQuote } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import { probe } from '../common.js';
import type { ModuleDef, Operation, Step } from '../types.js';
import { hostVarsOf, rawFactsOf } from './cluster.js';
import { type ControllerTool, type ToolName, readToolsDir } from './tools-dir.js';
import type { ToolInfo } from './types.js';
import { parseVersion } from './version.js';

/**
 * etcd_tools — put etcd's tools from the controller (`etcd_tools_dir`) on a node that has none, for this run:
 * copied beside their final name, their sha256 checked on the node, moved into place, run once there (`version`)
 * to prove they work on it; and removed again with `state: absent`. The result's `etcd_tools` fact makes every
 * etcd module of the run use them (cluster.ts withStagedTools).
 */
export interface EtcdToolsArgs {
  state?: 'present' | 'absent';
  /** Controller directory holding etcdutl (and etcdctl). */
  src?: string;
  /** Node directory they go to (removed with state: absent). */
  dest: string;
}

export type StagedTools = Partial<Record<ToolName, ToolInfo & { sha256?: string }>>;

const NAMES: ToolName[] = ['etcdutl', 'etcdctl'];

/** The problem with using `t` against this member's etcd server version, if any. */
export function versionProblem(t: Pick<ControllerTool, 'name' | 'version' | 'path'>, server: string | undefined): string | undefined {
  const tv = parseVersion(t.version);
  const sv = parseVersion(server);
  if (!tv || !sv) return undefined;
  if (t.name === 'etcdutl' && (tv.major !== sv.major || tv.minor !== sv.minor)) {
    return `${t.path} is etcdutl ${t.version}, this member runs etcd ${server}: point etcd_tools_dir at the tools of etcd ${sv.major}.${sv.minor}`;
  }
  if (t.name === 'etcdctl' && tv.major === sv.major && tv.minor < sv.minor) {
    return `${t.path} is etcdctl ${t.version}, older than this member's etcd ${server}: point etcd_tools_dir at the tools of etcd ${sv.major}.${sv.minor}`;
  }
  return undefined;
}

export const etcdToolsModule: ModuleDef<EtcdToolsArgs> = {
  name: 'etcd_tools',
  summary: "Put etcdutl/etcdctl from the controller's etcd_tools_dir on a node for this run (sha256 and version checked), or remove them",
  schema: {
    type: 'object',
    required: ['dest'],
    properties: { state: { enum: ['present', 'absent'] }, src: { type: 'string' }, dest: { type: 'string', pattern: '^/.' } },
    additionalProperties: false,
  },
  async plan(ctx): Promise<Operation> {
    const dest = ctx.args.dest.replace(/\/+$/, '');
    const q = shellQuote;
    const r = await probe(ctx, `uname -m; for t in ${shellJoin(NAMES)}; do f=${q(dest)}/$t; [ -f "$f" ] && echo "$t $(sha256sum < "$f" | cut -d' ' -f1)"; done; true`);
    const [arch = '', ...lines] = r.stdout.trim().split('\n');
    const onNode = new Map(lines.map((l) => l.split(' ') as [string, string]));
    if ((ctx.args.state ?? 'present') === 'absent') {
      if (!onNode.size) return { changed: false, steps: [], result: { changed: false, ansible_facts: { etcd_tools: {} } } };
      return {
        changed: true,
        steps: [{ kind: 'exec', cmd: `rm -f ${NAMES.map((n) => q(`${dest}/${n}`)).join(' ')} && rmdir ${q(dest)} 2>/dev/null; true`, description: `remove the etcd tools put in ${dest} for this run` }],
        result: { ansible_facts: { etcd_tools: {} } },
      };
    }
    if (!ctx.args.src) throw new LifeboatError('E_MODULE', 'etcd_tools: src (the controller directory, etcd_tools_dir) is required with state: present', { host: ctx.host });
    const dir = await readToolsDir(ctx.args.src);
    const problems = [...dir.problems];
    const server = rawFactsOf(hostVarsOf(ctx.vars, ctx.host, ctx.host))?.version;
    const tools = NAMES.flatMap((n) => (dir.tools[n] ? [dir.tools[n]] : []));
    for (const t of tools) {
      const p = versionProblem(t, server);
      if (p) problems.push(p);
      if (t.arch && arch && t.arch !== arch) problems.push(`${t.path} is built for ${t.arch}; this node is ${arch}`);
    }
    if (problems.length) {
      throw new LifeboatError('E_PREFLIGHT', `etcd_tools: cannot use ${dir.dir} on this node: ${problems.join('; ')}`, { host: ctx.host, hint: 'fix etcd_tools_dir (an unpacked etcd release or Debian etcd-client package of the cluster\'s version)' });
    }
    const steps: Step[] = [];
    const staged: StagedTools = {};
    for (const t of tools) {
      const final = `${dest}/${t.name}`;
      staged[t.name] = { path: final, version: t.version, sha256: t.sha256 };
      if (onNode.get(t.name) === t.sha256) continue;
      const tmp = `${dest}/.${t.name}.lifeboat-new`;
      if (!steps.length) steps.push({ kind: 'exec', cmd: `mkdir -p ${q(dest)} && chmod 0700 ${q(dest)}`, description: `create ${dest}` });
      steps.push(
        { kind: 'put', src: t.path, dest: tmp, mode: 0o755, description: `copy ${t.path} (${t.name} ${t.version}) to ${tmp}` },
        {
          kind: 'exec',
          cmd: `if [ "$(sha256sum < ${q(tmp)} | cut -d' ' -f1)" != ${q(t.sha256)} ]; then rm -f ${q(tmp)}; echo "the copy of ${t.name} has another sha256 than ${t.path}" >&2; exit 1; fi; ` +
            `v=$(ETCDCTL_API=3 ${q(tmp)} version 2>&1 | head -1); case "$v" in *${t.version}*) mv ${q(tmp)} ${q(final)};; *) rm -f ${q(tmp)}; echo "${t.name} does not run on this node: $v" >&2; exit 1;; esac`,
          description: `check its sha256 (${t.sha256.slice(0, 12)}…) and that it runs here, then move it to ${final}`,
        },
      );
    }
    return {
      changed: steps.length > 0,
      steps,
      notes: tools.map((t) => `${t.name} ${t.version} from ${t.path} → ${dest}/${t.name}${onNode.get(t.name) === t.sha256 ? ' (already there)' : ''}`),
      result: { ansible_facts: { etcd_tools: staged }, tools: staged },
    };
  },
};
