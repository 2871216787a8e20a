import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LifeboatError, LifeboatErrors } from '../errors.js';
import { yamlPortErrors } from '../inventory/port-check.js';
import type { Vars } from '../inventory/types.js';
import { renderValue } from '../vars/index.js';
import { parseYamlFile } from '../yamlpos.js';
import type { PlayCtx } from './context.js';
import { hostVars } from './host-vars.js';

/**
 * `vars_files` entries whose path is a template (`vars/{{ env }}.yml`): rendered for each host of the batch
 * and read once per file. A missing or malformed file is invalid input (thrown: exit code 4).
 */
export async function loadDeferredVarsFiles(pc: PlayCtx, hosts: string[]): Promise<void> {
  const deferred = pc.play.varsFiles.filter((f) => f.deferred);
  if (deferred.length === 0) return;
  for (const host of hosts) {
    if (pc.varsFilesOf.has(host)) continue;
    const layers: Vars[] = [];
    pc.varsFilesOf.set(host, layers);
    for (const f of pc.play.varsFiles) {
      if (!f.deferred) {
        layers.push(f.vars);
        continue;
      }
      const vars = hostVars(pc, host, undefined);
      const dir = f.dir ?? pc.playbook.dir;
      const render = (p: string) => resolve(dir, String(renderValue(p, vars, { src: pc.play.src, host, field: 'vars_files' })));
      if (f.firstFound) {
        const tried = f.firstFound.map(render);
        const found = tried.find((p) => existsSync(p));
        if (found === undefined) {
          throw new LifeboatError('E_PLAYBOOK', `vars_files: none of these files exists for ${host}: ${tried.join(', ')}`, {
            src: pc.play.src,
            host,
            hint: 'add a last entry that always exists (a defaults file)',
          });
        }
        layers.push(await readVarsFile(pc, found));
      } else layers.push(await readVarsFile(pc, render(f.path)));
    }
  }
}

async function readVarsFile(pc: PlayCtx, file: string): Promise<Vars> {
  let loading = pc.varsFileCache.get(file);
  if (!loading) {
    loading = (async () => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new LifeboatError('E_PLAYBOOK', `vars_files: cannot read ${file}: ${(e as Error).message}`, {
          src: pc.play.src,
          hint: 'check the vars_files path (it is rendered for each host)',
        });
      }
      const y = parseYamlFile(file, text, { version: '1.1' });
      if (y.errors.length) throw new LifeboatErrors(y.errors);
      if (y.value === null || y.value === undefined) return {};
      if (typeof y.value !== 'object' || Array.isArray(y.value)) {
        throw new LifeboatError('E_PLAYBOOK', `vars_files: ${file} must be a mapping of variables`, { src: { file, line: 1, col: 1 } });
      }
      const ports = yamlPortErrors(y, 'E_SCHEMA');
      if (ports.length) throw new LifeboatErrors(ports);
      return y.value as Vars;
    })();
    pc.varsFileCache.set(file, loading);
  }
  return loading;
}
