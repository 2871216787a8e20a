import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { AgentAuthMethod, PublicKeyAuthMethod } from 'ssh2';

/**
 * The authentication methods to offer, in OpenSSH's order: the agent first (SSH_AUTH_SOCK), then each key
 * file. Encrypted keys are opened with the passphrase from the environment variable named by the spec
 * (default LIFEBOAT_KEY_PASSPHRASE); the passphrase never appears in any message.
 */

export const DEFAULT_PASSPHRASE_ENV = 'LIFEBOAT_KEY_PASSPHRASE';

export type AuthMethod =
  | { type: 'agent'; username: string; agent: string }
  | { type: 'publickey'; username: string; key: Buffer; passphrase?: string };

export interface AuthPlan {
  methods: AuthMethod[];
  /** What was tried or skipped, for the error message when every method fails. */
  notes: string[];
}

export interface AuthInput {
  user: string;
  privateKeyFiles: string[];
  useAgent: boolean;
  passphraseEnv?: string;
  /** Key files named explicitly (a missing one is worth a note; missing default keys are not). */
  explicitKeyFiles?: string[];
}

export async function planAuth(a: AuthInput, env: NodeJS.ProcessEnv = process.env): Promise<AuthPlan> {
  const methods: AuthMethod[] = [];
  const notes: string[] = [];
  const agent = env.SSH_AUTH_SOCK;
  if (a.useAgent && agent) {
    methods.push({ type: 'agent', username: a.user, agent });
    notes.push(`ssh-agent (${agent})`);
  }
  const envName = a.passphraseEnv ?? DEFAULT_PASSPHRASE_ENV;
  const passphrase = env[envName];
  for (const file of a.privateKeyFiles) {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || a.explicitKeyFiles?.includes(file)) notes.push(`key ${file}: cannot read (${code})`);
      continue;
    }
    const parsed = ssh2.utils.parseKey(data, passphrase);
    if (parsed instanceof Error) {
      const encrypted = /encrypted|passphrase|decrypt/i.test(parsed.message);
      notes.push(
        encrypted && passphrase === undefined
          ? `key ${file}: encrypted, and $${envName} is not set`
          : encrypted
            ? `key ${file}: cannot decrypt with the passphrase in $${envName}`
            : `key ${file}: ${parsed.message}`,
      );
      continue;
    }
    methods.push({ type: 'publickey', username: a.user, key: data, ...(passphrase !== undefined ? { passphrase } : {}) });
    notes.push(`key ${file}`);
  }
  return { methods, notes };
}

/** ssh2's authHandler takes these objects as they are, tried in order. */
export function toAuthHandler(plan: AuthPlan): Array<AgentAuthMethod | PublicKeyAuthMethod> {
  return plan.methods;
}
