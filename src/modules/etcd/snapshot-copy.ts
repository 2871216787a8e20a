import { basename } from 'node:path';
import { probe } from '../common.js';
import { shellJoin, shellQuote } from '../../connection/quote.js';
import { LifeboatError } from '../../errors.js';
import type { ModuleDef, ModuleResult, Step } from '../types.js';
import { factsOf, hostVarsOf, withStagedTools } from './cluster.js';
import { gatherFacts } from './facts.js';
import { resolveLocal } from './local-snapshot.js';
import { keyRefOf } from './snapshot-codec.js';
import { readControllerSnapshot } from './snapshot-read.js';
import { parseSnapshotCheck, snapshotCheckScript, snapshotProblems } from './snapfile.js';
import { requireOfflineTool } from './version.js';

export interface EtcdSnapshotCopyArgs {
  snapshot: string;
  remote_dir?: string;
  /** The backup key of an encrypted snapshot (a file or an environment variable). */
  key_file?: string;
  key_env?: string;
}

/**
 * Copies a controller snapshot to this node and proves the copy there: sha256 equal to the manifest's,
 * the `snapshot save` trailer intact, `snapshot status` readable. Skips the upload when an identical copy is there.
 */
export const etcdSnapshotCopyModule: ModuleDef<EtcdSnapshotCopyArgs> = {
  name: 'etcd_snapshot_copy',
  summary: "Copy a snapshot to an etcd node and check its sha256, trailer and status there",
  schema: {
    type: 'object',
    required: ['snapshot'],
    properties: { snapshot: { type: 'string', minLength: 1 }, remote_dir: { type: 'string', pattern: '^/' }, key_file: { type: 'string' }, key_env: { type: 'string' } },
    additionalProperties: false,
  },
  async plan(ctx) {
    const local = resolveLocal(ctx.args.snapshot);
    const snap = await readControllerSnapshot(local, keyRefOf(ctx.args), ctx.host);
    const { manifest, digest } = snap;
    if (!digest.trailerOk || (manifest && manifest.sha256 !== digest.sha256)) {
      throw new LifeboatError('E_PREFLIGHT', `snapshot ${local} is damaged (sha256 ${digest.sha256}${manifest ? `, manifest says ${manifest.sha256}` : ''}${digest.trailerOk ? '' : ', trailer mismatch'})`, {
        host: ctx.host,
        hint: 'take a fresh snapshot or pick another one from the backup directory',
      });
    }
    const dir = ctx.args.remote_dir ?? '/var/lib/lifeboat/snapshots';
    const remote = `${dir}/${snap.plainName}`;
    const have = await probe(ctx, `sha256sum ${shellQuote(remote)} 2>/dev/null | cut -d' ' -f1`);
    const already = have.stdout.trim() === digest.sha256;
    // only the node's etcdctl/etcdutl is needed here: the facts this run discovered say where it is (a probe
    // of the node only without them); the check script below fails, naming it, if the tool is not there
    const known = factsOf(hostVarsOf(ctx.vars, ctx.host, ctx.host));
    const facts = known?.etcdctl || known?.etcdutl ? known : withStagedTools(await gatherFacts(ctx), ctx.vars);
    const tool = requireOfflineTool(facts, ctx.host);
    const steps: Step[] = [];
    if (!already) {
      steps.push({ kind: 'exec', cmd: shellJoin(['mkdir', '-p', dir]), description: `create ${dir}` });
      steps.push({
        kind: 'put',
        src: local,
        ...(snap.encoded ? { open: snap.open } : {}),
        dest: remote,
        mode: 0o600,
        // sha256 and size proved by the node as the bytes arrive; moved into place only if they match
        verify: { sha256: digest.sha256, size: digest.size },
        description: `copy ${basename(local)}${snap.encoded ? ' (decoded on the way)' : ''} to ${remote} (sha256 checked on arrival)`,
      });
    }
    steps.push({ kind: 'exec', cmd: snapshotCheckScript(tool, remote, already ? undefined : digest.sha256), description: `check ${remote} on the node (sha256, trailer, status)` });
    return {
      changed: !already,
      steps,
      notes: [already ? `${remote} already there with sha256 ${digest.sha256.slice(0, 12)}…` : `copy → ${remote}`],
      finish(outcomes): ModuleResult {
        const failed = outcomes.find((o) => o.error);
        if (failed) return { changed: !already, failed: true, msg: `copy of the snapshot failed: ${failed.error}` };
        const check = parseSnapshotCheck(outcomes[outcomes.length - 1]?.exec?.stdout ?? '');
        const problems = snapshotProblems(check, digest.sha256);
        if (problems.length) return { changed: !already, failed: true, msg: `snapshot on ${ctx.host} at ${remote} fails its checks: ${problems.join('; ')}` };
        return { changed: !already, remote_snapshot: remote, sha256: check.sha256, revision: check.status?.revision, total_keys: check.status?.totalKey };
      },
    };
  },
};
