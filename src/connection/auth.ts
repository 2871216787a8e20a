import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthHandlerMiddleware, AuthenticationType, KeyboardInteractiveAuthMethod, Prompt } from 'ssh2';

/**
 * The authentication methods to offer, in OpenSSH's order: the agent first (SSH_AUTH_SOCK), then each key
 * file, then — when a password is set (ansible_password, --ask-pass) — keyboard-interactive (answering its
 * password prompts) and password. Encrypted keys are opened with the passphrase from the environment variable
 * named by the spec (default LIFEBOAT_KEY_PASSPHRASE). No passphrase or password appears in any message.
 */

export const DEFAULT_PASSPHRASE_ENV = 'LIFEBOAT_KEY_PASSPHRASE';

export type AuthMethod =
  | { type: 'agent'; username: string; agent: string }
  | { type: 'publickey'; username: string; key: Buffer; passphrase?: string }
  | { type: 'keyboard-interactive'; username: string; prompt: KeyboardInteractiveAuthMethod['prompt'] }
  | { type: 'password'; username: string; password: string };

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
  /** The login password, offered after the keys. */
  password?: string;
}

/** Answers a keyboard-interactive round: the password for each prompt that asks for one, nothing otherwise. */
export function passwordAnswers(password: string, prompts: Prompt[]): string[] {
  return prompts.map((p) => (/pass(word|code|phrase)?\b/i.test(p.prompt) ? password : ''));
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
  const password = a.password;
  if (password !== undefined && password !== '') {
    methods.push({
      type: 'keyboard-interactive',
      username: a.user,
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(passwordAnswers(password, prompts)),
    });
    methods.push({ type: 'password', username: a.user, password });
    notes.push('password (keyboard-interactive, then password)');
  }
  return { methods, notes };
}

/** The method name a server lists for an auth method (the agent signs with a public key). */
function wireName(m: AuthMethod): AuthenticationType {
  return m.type === 'agent' ? 'publickey' : m.type;
}

/**
 * ssh2's authHandler: the plan's methods in order, skipping those the server no longer allows (so a password
 * is never sent to a server that only takes keys, and no attempt counts against MaxAuthTries in vain).
 */
export function toAuthHandler(plan: AuthPlan): AuthHandlerMiddleware {
  let next = 0;
  return (methodsLeft, _partialSuccess, done) => {
    while (next < plan.methods.length) {
      const m = plan.methods[next++] as AuthMethod;
      // methodsLeft is null before the first attempt (the server has not listed its methods yet)
      if (!methodsLeft || methodsLeft.includes(wireName(m))) return done(m as AnyAuthMethod);
    }
    done(false as unknown as AnyAuthMethod); // ssh2 takes false as "no more methods" (its typings miss it)
  };
}
