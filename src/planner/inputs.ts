import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Inventory, Vars } from '../inventory/types.js';
import type { Playbook } from '../playbook/types.js';
import type { PlanInputs } from '../plan-types.js';
import type { SecretSet } from '../secrets.js';

export interface InputSources {
  inventory: Inventory;
  inventoryPaths: string[];
  playbooks: Playbook[];
  playbookFiles: string[];
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: Vars;
  rolesPath: string[];
  /** The run's SecretSet: -e values are saved masked with it. */
  secrets: SecretSet;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function walk(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile()) out.push(p);
  }
}

/**
 * Every file a plan depends on: inventory sources, playbooks, vars files, the `templates/` and `files/` beside
 * each playbook, and each used role's whole tree.
 */
export function inputFiles(src: InputSources): string[] {
  const files = new Set<string>([...src.inventory.sources, ...src.playbookFiles]);
  for (const pb of src.playbooks) {
    // Every file the loader read: imported playbooks, import_tasks files, role files, vars files.
    for (const f of pb.files ?? []) files.add(f);
    // What copy/template/script take from beside the playbook (read at run time, not by the loader).
    for (const d of ['templates', 'files']) {
      const found: string[] = [];
      walk(join(pb.dir, d), found);
      for (const f of found) files.add(f);
    }
    for (const play of pb.plays) {
      for (const vf of play.varsFiles) if (!vf.deferred) files.add(vf.path);
      for (const r of play.roles) {
        const inRole: string[] = [];
        walk(r.path, inRole);
        for (const f of inRole) files.add(f);
      }
    }
  }
  return [...files].sort();
}

export function computeInputs(src: InputSources): PlanInputs {
  const files: Record<string, string> = {};
  for (const f of inputFiles(src)) {
    try {
      files[f] = sha256File(f);
    } catch {
      files[f] = 'missing';
    }
  }
  const extraVars = src.secrets.maskDeep(src.extraVars) as Record<string, unknown>;
  // The names (never the values) of the -e inputs saved masked, so `apply` asks for them again.
  const secretExtraVars = Object.keys(extraVars).filter((k) => JSON.stringify(extraVars[k]) !== JSON.stringify(src.extraVars[k]));
  const base = {
    playbooks: src.playbookFiles,
    inventory: src.inventoryPaths,
    ...(src.limit ? { limit: src.limit } : {}),
    tags: src.tags,
    skipTags: src.skipTags,
    extraVars,
    ...(secretExtraVars.length ? { secretExtraVars } : {}),
    rolesPath: src.rolesPath,
    files,
  };
  const hash = createHash('sha256').update(JSON.stringify(base)).digest('hex');
  return { ...base, hash };
}

/** What differs between the inputs a plan was made from and the present ones. */
export function diffInputs(saved: PlanInputs, now: PlanInputs): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(saved.files), ...Object.keys(now.files)]);
  for (const f of [...keys].sort()) {
    const a = saved.files[f];
    const b = now.files[f];
    if (a === b) continue;
    if (a === undefined) out.push(`new input file: ${f}`);
    else if (b === undefined) out.push(`input file no longer used: ${f}`);
    else out.push(`changed since the plan: ${f}`);
  }
  if (JSON.stringify(saved.extraVars) !== JSON.stringify(now.extraVars)) out.push('extra vars (-e) differ');
  if ((saved.limit ?? '') !== (now.limit ?? '')) out.push(`--limit differs (${saved.limit ?? 'none'} → ${now.limit ?? 'none'})`);
  if (out.length === 0 && saved.hash !== now.hash) out.push('inputs differ (options)');
  return out;
}
