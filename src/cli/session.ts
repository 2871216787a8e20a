import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { connectionSpecFor, createConnectionPool } from '../connection/index.js';
import type { ConnectionPool } from '../connection/index.js';
import { LifeboatError } from '../errors.js';
import { loadInventory, resolvePattern } from '../inventory/index.js';
import type { Inventory, Vars } from '../inventory/types.js';
import { loadPlaybook } from '../playbook/index.js';
import type { Playbook } from '../playbook/types.js';
import type { RunOptions } from '../executor/index.js';
import type { PlanSession } from '../planner/index.js';
import type { Reporter } from '../executor/events.js';
import { splitCsv } from './commands/split.js';
import type { MaskedWriter, SecretSet } from '../secrets.js';
import { PASSWORD_VARS } from '../vars/index.js';
import { connectionContext, renderConnectionVars } from './connection-vars.js';
import { parseExtraVars } from './extra-vars.js';
import type { Io } from './io.js';
import { promptHidden } from './prompt.js';
import { askVarsPrompts, terminalPrompts } from './vars-prompt.js';
import { bool, int, str, strs, type Values } from './spec.js';
import '../modules/index.js';

export interface Session {
  inventory: Inventory;
  inventoryPaths: string[];
  playbooks: Playbook[];
  playbookFiles: string[];
  extraVars: Vars;
  rolesPath: string[];
  /** The process's one SecretSet (io.secrets): passwords, and what the run adds to it. */
  secrets: SecretSet;
  io: Io;
  pool: ConnectionPool;
  /** Where connection warnings go (host key not verified, key recorded, reconnected); a run points it at its reporter. */
  onWarning: (msg: string, host?: string) => void;
}

export function inventoryPaths(v: Values): string[] {
  const paths = strs(v, 'inventory');
  if (paths.length === 0) {
    throw new LifeboatError('E_USAGE', 'no inventory given', {
      hint: 'pass -i PATH (an inventory file or directory), e.g. -i inventories/prod',
    });
  }
  return paths.map(resolveInventoryArg);
}

/** An `-i` value as a path from here — unless it is a comma-separated host list (`h1,h2` or `h1,`), kept as given. */
export function resolveInventoryArg(p: string): string {
  return p.includes(',') && !existsSync(p) ? p : resolve(p);
}

export function rolesPathOf(v: Values): string[] {
  const env = (process.env.LIFEBOAT_ROLES_PATH ?? '').split(':').filter(Boolean);
  return [...strs(v, 'roles-path'), ...env].map((p) => resolve(p));
}

/** Loads everything a run or a plan needs; nothing connects yet (the pool connects lazily). */
export async function openSession(v: Values, playbookArgs: string[], io: Io): Promise<Session> {
  if (playbookArgs.length === 0) {
    throw new LifeboatError('E_USAGE', 'no playbook given', { hint: 'e.g. lifeboat run -i INV playbooks/etcd-backup.yml' });
  }
  const invPaths = inventoryPaths(v);
  const inventory = await loadInventory(invPaths);
  const rolesPath = rolesPathOf(v);
  const playbookFiles = playbookArgs.map((p) => resolve(p));
  const playbooks: Playbook[] = [];
  const playbookDir = dirname(playbookFiles[0] as string);
  for (const f of playbookFiles) playbooks.push(await loadPlaybook(f, { rolesPath }));
  const extraVars = parseExtraVars(strs(v, 'extra-vars'));
  // A --limit naming no host or group is a typo: refuse before anything runs.
  const limit = str(v, 'limit');
  if (limit !== undefined) resolvePattern(inventory, limit, { strict: true });

  let sshPassword = process.env.LIFEBOAT_SSH_PASSWORD || undefined;
  if (bool(v, 'ask-pass')) sshPassword = await promptHidden('SSH password: ', io.err);
  let becomePassword = process.env.LIFEBOAT_BECOME_PASSWORD || undefined;
  if (bool(v, 'ask-become-pass')) becomePassword = await promptHidden('BECOME password: ', io.err);
  // The connection layer reads the passphrase from LIFEBOAT_KEY_PASSPHRASE (this process only; never printed).
  if (bool(v, 'ask-key-passphrase')) process.env.LIFEBOAT_KEY_PASSPHRASE = await promptHidden('Key passphrase: ', io.err);
  const secrets = io.secrets;
  for (const s of [sshPassword, becomePassword, process.env.LIFEBOAT_KEY_PASSPHRASE]) if (s) secrets.add(s);
  // vars_prompt: asked (or refused without a terminal) before anything connects or runs
  await askVarsPrompts(playbooks, extraVars, secrets, terminalPrompts(io.err));
  const timeoutS = int(v, 'timeout', 1) ?? 10;
  const specOpts = {
    sshConfigFile: str(v, 'ssh-config'),
    acceptNewHostKeys: bool(v, 'accept-new-host-keys'),
    becomePassword,
    password: sshPassword,
    connectTimeoutMs: timeoutS * 1000,
  };
  const session = { onWarning: (msg: string) => io.err.write(`[WARNING] ${msg}\n`) } as Pick<Session, 'onWarning'>;
  const pool = createConnectionPool({
    onWarning: (msg: string) => session.onWarning(msg),
    specFor: (host: string, ctx?: Vars) => {
      const vars = renderConnectionVars(ctx ?? connectionContext(inventory, extraVars, host, playbookDir), host);
      for (const name of PASSWORD_VARS) {
        const pass = vars[name];
        if (typeof pass === 'string') secrets.add(pass);
      }
      return connectionSpecFor(host, vars, specOpts);
    },
  });
  return Object.assign(session, { inventory, inventoryPaths: invPaths, playbooks, playbookFiles, extraVars, rolesPath, secrets, io, pool });
}

/** Ctrl-C: the first one aborts the run cleanly (commands signalled, recap printed); a second one exits at once. */
export function interruptSignal(err: MaskedWriter): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  let count = 0;
  const onSig = () => {
    count += 1;
    if (count === 1) {
      err.write('\nInterrupted: stopping running commands (press Ctrl-C again to exit at once)\n');
      ac.abort(new LifeboatError('E_INTERRUPTED', 'interrupted'));
    } else process.exit(130);
  };
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSig);
      process.off('SIGTERM', onSig);
    },
  };
}

/**
 * The run options every command shares (run, plan, apply), from the session and the command line.
 * The caller adds what differs: check, diff, offline, expect, and extra vars stamped with the plan's time.
 */
export function runOptionsFor(
  session: Session,
  v: Values,
  reporter: Reporter,
  signal: AbortSignal,
): Omit<RunOptions, 'check' | 'diff'> {
  const startAtTask = str(v, 'start-at-task');
  const limit = str(v, 'limit');
  return {
    inventory: session.inventory,
    playbooks: session.playbooks,
    ...(limit !== undefined ? { limit } : {}),
    tags: splitCsv(strs(v, 'tags')),
    skipTags: splitCsv(strs(v, 'skip-tags')),
    extraVars: session.extraVars,
    forks: int(v, 'forks', 1) ?? 20,
    ...(startAtTask !== undefined ? { startAtTask } : {}),
    connections: session.pool,
    reporter,
    signal,
    secrets: session.secrets,
    rolesPath: session.rolesPath,
  };
}


/** The session as the planner sees it: its inputs and connections, with this command line's run options. */
export function plannerSession(session: Session, v: Values): PlanSession {
  return {
    ...session,
    err: session.io.err,
    runOptions: (reporter, signal) => runOptionsFor(session, v, reporter, signal),
    interrupt: () => interruptSignal(session.io.err),
  };
}
