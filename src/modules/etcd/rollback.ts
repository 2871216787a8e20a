import { shellJoin } from '../../connection/quote.js';
import { probe } from '../common.js';
import { LifeboatError } from '../../errors.js';
import type { ModuleDef, Step } from '../types.js';
import { withStagedTools } from './cluster.js';
import { gatherFacts } from './facts.js';
import { readFileCmd, serviceCmd } from './node-probe.js';
import { MARKER_NAME, stamp } from './restore.js';
import { moveContentsCmd, parseMarker, type RestoreMarker } from './restore-steps.js';

export interface EtcdRollbackArgs {
  state_dir?: string;
  /** Stop etcd before and start it after (default true). The restore playbook stops/starts all members itself. */
  restart?: boolean;
  service?: string;
  ts?: string;
  /** No marker (no restore ran here): report ok instead of failing — for a playbook's rescue. */
  missing_ok?: boolean;
}

/** The steps that put kept data back; the restored data is itself moved aside (never deleted). */
export function renderRollback(marker: RestoreMarker, ts: string): { steps: Step[]; setAside: string[] } {
  const steps: Step[] = [];
  const setAside: string[] = [];
  const dirs = [marker.data_dir, ...(marker.wal_dir ? [marker.wal_dir] : [])];
  for (const dir of dirs) {
    const k = marker.kept.find((x) => x.dir === dir);
    if (k?.mode === 'contents') {
      const aside = `${dir}/.lifeboat-failed-${ts}`;
      setAside.push(aside);
      steps.push({ kind: 'exec', cmd: moveContentsCmd(dir, aside), description: `set the restored data of ${dir} aside in ${aside}`, destructive: `moves the restored data of ${dir} aside` });
      steps.push({
        kind: 'exec',
        cmd: `${shellJoin(['find', k.kept_at, '-mindepth', '1', '-maxdepth', '1', '-exec', 'mv', '-t', dir, '{}', '+'])} && ${shellJoin(['rmdir', k.kept_at])}`,
        description: `put the old data back from ${k.kept_at} into ${dir}`,
      });
    } else {
      const aside = `${dir}.lifeboat-failed-${ts}`;
      setAside.push(aside);
      steps.push({
        kind: 'exec',
        cmd: `if [ -e ${shellJoin([dir])} ]; then ${shellJoin(['mv', '-T', dir, aside])}; fi`,
        description: `set the restored ${dir} aside as ${aside}`,
        destructive: `moves the restored data of ${dir} aside`,
      });
      if (k) steps.push({ kind: 'exec', cmd: shellJoin(['mv', '-T', k.kept_at, dir]), description: `put the old data back: ${k.kept_at} → ${dir}` });
    }
  }
  return { steps, setAside };
}

/**
 * Undoes an etcd_restore on this node from its marker: the restored directories are moved aside and the kept
 * ones put back; etcd is stopped before and started after unless restart is false.
 */
export const etcdRollbackModule: ModuleDef<EtcdRollbackArgs> = {
  name: 'etcd_rollback',
  summary: 'Put the data kept by etcd_restore back (the restored data is moved aside) and restart etcd',
  schema: {
    type: 'object',
    properties: {
      state_dir: { type: 'string', pattern: '^/' },
      restart: { type: 'boolean' },
      service: { type: 'string', minLength: 1 },
      ts: { type: 'string', pattern: '^[0-9A-Za-z]+$' },
      missing_ok: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  async plan(ctx) {
    const markerFile = `${ctx.args.state_dir ?? '/var/lib/lifeboat'}/${MARKER_NAME}`;
    const r = await probe(ctx, readFileCmd(markerFile));
    if (!r.stdout.trim()) {
      if (ctx.check) return { changed: 'unknown', steps: [], notes: [`${markerFile} does not exist yet (written by etcd_restore)`] };
      if (ctx.args.missing_ok) return { changed: false, steps: [], result: { changed: false, msg: `no restore to roll back here (${markerFile} absent)` } };
      throw new LifeboatError('E_TASK', `nothing to roll back: ${markerFile} does not exist`, { host: ctx.host, hint: 'etcd_rollback undoes an etcd_restore on the same host' });
    }
    const marker = parseMarker(r.stdout, markerFile, ctx.host);
    const restart = ctx.args.restart ?? true;
    const service = ctx.args.service ?? 'etcd';
    const facts = withStagedTools(await gatherFacts(ctx), ctx.vars);
    if (facts.running && !restart && !ctx.check) {
      throw new LifeboatError('E_PREFLIGHT', `etcd is running (pid ${facts.pid}); stop it before rolling back`, { host: ctx.host });
    }
    const ts = ctx.args.ts ?? stamp();
    const rb = renderRollback(marker, ts);
    const steps: Step[] = [];
    if (restart) steps.push({ kind: 'exec', cmd: serviceCmd(service, 'stop'), description: `stop ${service}`, destructive: `stops ${service}` });
    steps.push(...rb.steps);
    steps.push({ kind: 'exec', cmd: shellJoin(['mv', markerFile, `${markerFile}.rolled-back-${ts}`]), description: 'mark the restore as rolled back' });
    if (restart) steps.push({ kind: 'exec', cmd: serviceCmd(service, 'start'), description: `start ${service}` });
    return {
      changed: true,
      steps,
      notes: marker.kept.map((k) => `${k.kept_at} → ${k.dir}`),
      result: { kept: marker.kept, restored_data_set_aside: rb.setAside, restore_time: marker.time },
    };
  },
};
