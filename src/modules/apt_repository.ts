import { posix } from 'node:path';
import { shellQuote } from '../connection/quote.js';
import { argError, probe } from './common.js';
import { modeArg } from './copy.js';
import { planWrite } from './lib/write-file.js';
import { digestBuffer } from './local-files.js';
import { registerModule } from './registry.js';
import type { FileDiff, ModuleDef, Operation, Step } from './types.js';

/**
 * apt_repository — a one-line apt source (`deb …` / `deb-src …`) in /etc/apt/sources.list.d/<filename>.list. One
 * probe reads sources.list and every sources.list.d/*.list: present is no change when the line (whitespace
 * collapsed, not commented out) is in any of them; absent removes it from every file, deleting a file left with
 * no source. With `update_cache` (default yes, as Ansible) a change is followed by `apt-get update`.
 *
 * Returns: repo, state, sources_added / sources_removed (file names); diff of the files.
 */
export interface AptRepositoryArgs {
  repo: string;
  state?: 'present' | 'absent';
  filename?: string;
  mode?: string | number;
  update_cache?: boolean;
  update_cache_retries?: number;
  validate_certs?: boolean;
  codename?: string;
  install_python_apt?: boolean;
}

export const aptRepositorySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['repo'],
  properties: {
    repo: { type: 'string', minLength: 1 },
    state: { type: 'string', enum: ['present', 'absent'] },
    filename: { type: 'string', minLength: 1, pattern: '^[^/]+$' },
    mode: { type: ['string', 'integer'] },
    update_cache: { type: 'boolean' },
    update_cache_retries: { type: 'integer', minimum: 1 },
    validate_certs: { type: 'boolean' },
    codename: { type: 'string' },
    install_python_apt: { type: 'boolean' },
  },
};

const DIR = '/etc/apt/sources.list.d';
const MARK = '@@lifeboat-source@@ ';
const norm = (l: string) => l.trim().split(/\s+/).join(' ');

/** Ansible's file name for a repo line: its host and path, non-alphanumerics as `_` (`deb http://a.b/c x` → a_b_c). */
export function suggestFilename(repo: string): string {
  const line = repo.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '');
  const parts = line.split(/\s+/).filter((p) => p !== '' && p !== 'deb' && p !== 'deb-src');
  const first = (parts[0] ?? 'repo').replace(/^[^@/]*@/, '');
  return first.replace(/[^a-zA-Z0-9]/g, ' ').trim().split(/\s+/).join('_');
}

/** Every source file's text, by path, from the probe's output. */
export function parseSources(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let cur: string | undefined;
  for (const line of stdout.split(/(?<=\n)/)) {
    if (line.startsWith(MARK)) {
      cur = line.slice(MARK.length).trimEnd();
      out.set(cur, '');
    } else if (cur !== undefined) out.set(cur, (out.get(cur) ?? '') + line);
  }
  return out;
}

const holds = (text: string, repo: string) => text.split('\n').some((l) => norm(l) === repo);
const hasSource = (text: string) => text.split('\n').some((l) => /^\s*deb(-src)?\s/.test(l));

export const aptRepositoryModule: ModuleDef<AptRepositoryArgs> = {
  name: 'apt_repository',
  summary: 'An apt source line in sources.list.d (then apt-get update)',
  schema: aptRepositorySchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    if (a.repo.startsWith('ppa:')) throw argError('apt_repository', ctx, 'PPAs are not supported', 'write the deb line of the PPA instead');
    if (!/^deb(-src)?\s/.test(a.repo.trim()))
      throw argError('apt_repository', ctx, `repo '${a.repo}' is not a one-line source`, 'repo: "deb [signed-by=/etc/apt/keyrings/x.gpg] https://host/path suite component"');
    const repo = norm(a.repo);
    const state = a.state ?? 'present';
    const mode = modeArg('apt_repository', ctx, a.mode ?? '0644');
    const r = await probe(ctx, `for f in /etc/apt/sources.list ${DIR}/*.list; do [ -f "$f" ] && { printf '${MARK}%s\\n' "$f"; cat -- "$f"; echo; }; done; exit 0`);
    const files = parseSources(r.stdout);
    const steps: Step[] = [];
    const diff: FileDiff[] = [];
    const added: string[] = [];
    const removed: string[] = [];
    const write = async (dest: string, text: string) => {
      const data = Buffer.from(text, 'utf8');
      const w = await planWrite(ctx, { module: 'apt_repository', dest, source: { kind: 'content', data }, ...digestBuffer(data), text, ...(mode ? { mode } : {}), makeParents: true });
      steps.push(...w.steps);
      diff.push(...(w.diff ?? []));
    };
    if (state === 'present' && ![...files.values()].some((t) => holds(t, repo))) {
      const dest = posix.join(DIR, `${a.filename ?? suggestFilename(a.repo)}.list`);
      // the probe added a newline after each file: strip it back before appending
      const before = (files.get(dest) ?? '').replace(/\n$/, '');
      await write(dest, `${before}${before && !before.endsWith('\n') ? '\n' : ''}${repo}\n`);
      added.push(dest);
    }
    if (state === 'absent') {
      for (const [f, text0] of files) {
        const text = text0.replace(/\n$/, '');
        if (!holds(text, repo)) continue;
        const kept = text.split(/(?<=\n)/).filter((l) => norm(l) !== repo).join('');
        removed.push(f);
        if (f.startsWith(`${DIR}/`) && !hasSource(kept)) {
          steps.push({ kind: 'exec', cmd: `rm -f -- ${shellQuote(f)}`, description: `remove ${f}`, destructive: `deletes ${f}` });
          diff.push({ path: f, before: text, after: '' });
        } else await write(f, kept);
      }
    }
    if (steps.length && (a.update_cache ?? true))
      steps.push({ kind: 'exec', cmd: 'apt-get update', env: { DEBIAN_FRONTEND: 'noninteractive' }, description: 'apt-get update' });
    return {
      changed: steps.length > 0,
      steps,
      ...(diff.length ? { diff } : {}),
      result: { repo, state, sources_added: added, sources_removed: removed },
    };
  },
};

registerModule(aptRepositoryModule);
